import { describe, expect, it } from "vitest";
import { CommsTap, wrapCommsHandlers } from "../../src/tap/commsTap";
import { scanRegistry, trapAfterModuleFactory } from "../../src/tap/moduleHook";
import { recordingCapture } from "./support";

const callNode = {
  tag: "call",
  attrs: { id: "1.2-3", to: { toString: () => "15550002222@s.whatsapp.net" } },
  content: [
    { tag: "offer", attrs: { "call-id": "C1", "call-creator": "15550001111@s.whatsapp.net" }, content: null },
  ],
};

describe("comms tap wrappers never harm the page", () => {
  it("keep return values, this, arguments and thrown errors", () => {
    const seen: unknown[] = [];
    const sink = {
      onStanza: (n: unknown) => seen.push(n),
      onError: () => undefined,
      onFound: () => undefined,
    };
    const calls: unknown[][] = [];
    const self = { marker: 1 };
    const handlers = {
      onHandleStanza(this: unknown, ...args: unknown[]) {
        calls.push([this, ...args]);
        return "NO_ACK";
      },
      onCastStanza() {
        throw new TypeError("from WhatsApp");
      },
    };
    wrapCommsHandlers(handlers, sink);
    expect(handlers.onHandleStanza.call(self, callNode, 7, 99)).toBe("NO_ACK");
    expect(calls).toEqual([[self, callNode, 7, 99]]);
    expect(() => handlers.onCastStanza()).toThrow(new TypeError("from WhatsApp"));
    expect(seen).toEqual([callNode, undefined]);
  });

  it("swallow an exception thrown inside the tap", () => {
    const errors: unknown[] = [];
    const sink = {
      onStanza: () => {
        throw new Error("tap bug");
      },
      onError: (e: unknown) => errors.push(e),
      onFound: () => undefined,
    };
    const handlers = { onHandleStanza: (n: unknown) => n };
    wrapCommsHandlers(handlers, sink);
    expect(handlers.onHandleStanza(callNode)).toBe(callNode);
    expect(errors).toHaveLength(1);
  });

  it("wrap only once", () => {
    let count = 0;
    const sink = { onStanza: () => count++, onError: () => undefined, onFound: () => undefined };
    const handlers = { onHandleStanza: () => undefined };
    wrapCommsHandlers(handlers, sink);
    wrapCommsHandlers(handlers, sink);
    handlers.onHandleStanza();
    expect(count).toBe(1);
  });
});

describe("module discovery by export shape", () => {
  it("wraps getCommsConfig so every new config's handlers feed the capture", () => {
    const { capture, stanzas } = recordingCapture();
    const tap = new CommsTap({
      onStanza: (n, d) => capture.onStanza(n, d, "comms-config"),
      onError: (e) => capture.reportError(e),
      onFound: () => undefined,
    });
    const exportsNs = {
      getCommsConfig: () => ({ handlers: { onHandleStanza: () => "ok", onCastStanza: () => undefined } }),
    };
    tap.visit({ id: "AnyMinifiedName", exports: exportsNs });
    const config = exportsNs.getCommsConfig() as {
      handlers: { onHandleStanza: (n: unknown) => unknown; onCastStanza: (n: unknown) => unknown };
    };
    expect(config.handlers.onHandleStanza(callNode)).toBe("ok");
    config.handlers.onCastStanza({ tag: "message", attrs: { id: "m1" }, content: null });
    capture.pump(true);
    expect(stanzas).toHaveLength(1);
    expect(stanzas[0]).toMatchObject({ direction: "in", tap: "comms-config", node: { tag: "call" } });
    expect(stanzas[0].node?.attrs.to).toBe("15550002222@s.whatsapp.net");
    expect(capture.snapshot().seenByTag).toEqual({ call: 1, message: 1 });
    expect(capture.snapshot().filtered).toBe(1);
  });

  it("patches a comms singleton that was started before the tap", () => {
    const { capture, stanzas } = recordingCapture();
    const handlers = { onHandleStanza: (_n: unknown) => undefined, onCastStanza: (_n: unknown) => undefined };
    let started = false;
    const tap = new CommsTap({
      onStanza: (n, d) => capture.onStanza(n, d, "comms-config"),
      onError: () => undefined,
      onFound: () => undefined,
    });
    tap.visit({
      exports: {
        startComms: () => undefined,
        getComms: () => {
          if (!started) throw new Error("not started");
          return { config: { handlers } };
        },
      },
    });
    expect(tap.patchRunningComms()).toBe(false);
    started = true;
    expect(tap.patchRunningComms()).toBe(true);
    handlers.onCastStanza({ tag: "ack", attrs: { class: "call", id: "1.2-3" } } as never);
    capture.pump(true);
    expect(stanzas[0]).toMatchObject({ direction: "out", node: { tag: "ack" } });
  });
});

describe("definition-time trap", () => {
  it("survives the runtime nulling the hook and chains the page's own hook", () => {
    const win = {} as Record<string, unknown>;
    const visited: unknown[] = [];
    trapAfterModuleFactory(
      win as never,
      (d) => visited.push(d),
      () => undefined,
    );
    win.__onAfterModuleFactory = null; // what the Meta runtime does at boot
    const hook = win.__onAfterModuleFactory as (d: unknown) => unknown;
    expect(typeof hook).toBe("function");
    hook({ id: "A" });
    const pageCalls: unknown[] = [];
    win.__onAfterModuleFactory = (d: unknown) => {
      pageCalls.push(d);
      return "page-result";
    };
    expect((win.__onAfterModuleFactory as (d: unknown) => unknown)({ id: "B" })).toBe("page-result");
    expect(visited).toEqual([{ id: "A" }, { id: "B" }]);
    expect(pageCalls).toEqual([{ id: "B" }]);
  });

  it("scans the registry for modules that ran before the trap, once each", () => {
    const defA = { id: "A", exports: {}, factoryFinished: true };
    const defB = { id: "B", exports: {}, factoryFinished: false };
    const win = {
      require: (n: string) => (n === "__debug" ? { modulesMap: { A: defA, B: defB, C: null } } : undefined),
    };
    const seen = new WeakSet<object>();
    const visited: unknown[] = [];
    expect(scanRegistry(win as never, seen, (d) => visited.push(d))).toBe(3);
    scanRegistry(win as never, seen, (d) => visited.push(d));
    expect(visited).toEqual([defA]);
    expect(scanRegistry({} as never, seen, () => undefined)).toBe(-1);
  });
});

describe("capture", () => {
  it("forwards a receipt answering a known call stanza id, and counts what it drops", () => {
    const { capture, stanzas } = recordingCapture();
    capture.onStanza(callNode, "in", "comms-config");
    capture.onStanza({ tag: "receipt", attrs: { id: "1.2-3" }, content: null }, "out", "comms-config");
    capture.onStanza({ tag: "receipt", attrs: { id: "msg-9" }, content: null }, "out", "comms-config");
    capture.onStanza({ tag: "presence", attrs: { type: "available" } }, "in", "comms-config");
    capture.pump(true);
    expect(stanzas.map((s) => s.node?.tag)).toEqual(["call", "receipt"]);
    expect(capture.snapshot()).toMatchObject({
      forwarded: 2,
      filtered: 2,
      seenByTag: { call: 1, receipt: 2, presence: 1 },
    });
    expect(stanzas[0].t).toBeLessThan(stanzas[1].t);
  });

  it("turns an unreadable call stanza into an error entry instead of losing it", () => {
    const { capture, stanzas } = recordingCapture();
    capture.onStanza({ tag: "call", attrs: { id: "x" }, content: [{ tag: 5 }] }, "in", "comms-config");
    capture.pump(true);
    expect(stanzas).toHaveLength(1);
    expect(stanzas[0].error?.message).toMatch(/tag/);
    expect(capture.health.errors).toBe(1);
  });
});
