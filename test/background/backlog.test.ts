import { describe, expect, it } from "vitest";
import { BACKLOG_CHUNK, BACKLOG_FIRST_CHUNK } from "../../src/background/backlog";
import type { PanelMessage } from "../../src/shared/protocol/messages";
import { draft, stanzaSeqs, storeWithStanzas } from "./support";

describe("session store backlog", () => {
  it("sends a large backlog in chunks", async () => {
    const n = BACKLOG_FIRST_CHUNK + BACKLOG_CHUNK + 10;
    const store = await storeWithStanzas(n);
    const got: PanelMessage[] = [];
    await store.subscribe(1, (m) => got.push(m));
    expect(got.map((m) => m.type)).toEqual(["backlog", "backlog-chunk", "backlog-chunk"]);
    expect(got[0].type === "backlog" && got[0].more).toBe(2);
    expect(stanzaSeqs(got)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});

describe("flow-controlled backlog", () => {
  it("sends the first chunk, then one chunk per request, with live messages in between", async () => {
    const n = BACKLOG_FIRST_CHUNK + BACKLOG_CHUNK + 5;
    const store = await storeWithStanzas(n);
    const got: PanelMessage[] = [];
    const sub = (m: PanelMessage) => got.push(m);
    await store.subscribe(1, sub, true);
    expect(got.map((m) => m.type)).toEqual(["backlog"]);
    await store.addStanza(1, draft(999));
    store.nextBacklog(sub);
    store.nextBacklog(sub);
    store.nextBacklog(sub); // nothing left
    expect(got.map((m) => m.type)).toEqual(["backlog", "stanzas", "backlog-chunk", "backlog-chunk"]);
    expect(got.at(-1)?.type === "backlog-chunk" && got.at(-1)).toMatchObject({ more: 0 });
  });
});
