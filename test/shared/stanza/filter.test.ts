import { describe, expect, it } from "vitest";
import { CallIdMemory, classifyStanza } from "../../../src/shared/stanza/filter";

describe("privacy filter", () => {
  it("keeps call stanzas, call acks and offer receipts; drops the rest", () => {
    const m = new CallIdMemory();
    expect(classifyStanza({ tag: "call", id: "1.2-3" }, m)).toBe("call");
    expect(classifyStanza({ tag: "ack", ackClass: "call", id: "1.2-3" }, m)).toBe("call-ack");
    expect(classifyStanza({ tag: "ack", ackClass: "message", id: "x" }, m)).toBe("drop");
    expect(classifyStanza({ tag: "ack", id: "x" }, m)).toBe("drop");
    expect(classifyStanza({ tag: "receipt", id: "zz", firstChildTag: "offer" }, m)).toBe("offer-receipt");
    expect(classifyStanza({ tag: "receipt", id: "msg-1" }, m)).toBe("drop");
    for (const tag of ["message", "iq", "presence", "notification", "ib", "chatstate"]) {
      expect(classifyStanza({ tag, id: "1.2-3" }, m)).toBe("drop");
    }
  });

  it("keeps a receipt whose id is a known call stanza id", () => {
    const m = new CallIdMemory();
    expect(classifyStanza({ tag: "receipt", id: "A1" }, m)).toBe("drop");
    classifyStanza({ tag: "call", id: "A1" }, m);
    expect(classifyStanza({ tag: "receipt", id: "A1" }, m)).toBe("call-receipt");
  });

  it("forgets the oldest ids past its capacity", () => {
    const m = new CallIdMemory(3);
    for (const id of ["a", "b", "c", "d"]) m.add(id);
    expect(m.has("a")).toBe(false);
    expect(m.has("d")).toBe(true);
  });
});
