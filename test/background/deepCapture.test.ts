import { describe, expect, it } from "vitest";
import {
  type DebuggeeTarget,
  type DebuggerApi,
  DeepCapture,
  isWhatsAppWorker,
  SETUP_TIMEOUT_MS,
  workerPath,
} from "../../src/background/deepCapture";
import { type TapMessage, WORKER_TAP_BINDING } from "../../src/shared/protocol/messages";
import type { DeepCaptureHealth } from "../../src/shared/trace/types";

const TAB = 7;
const WA_WORKER = {
  type: "worker",
  url: "https://web.whatsapp.com/worker/backend.js?session=SECRET",
  title: "WAWebBackendWorker-1",
};

/** A scripted chrome.debugger: records commands, fails the ones named in `fail`. */
function fakeDebugger(fail: Record<string, string> = {}) {
  const sent: { target: DebuggeeTarget; method: string; params?: Record<string, unknown> }[] = [];
  const api: DebuggerApi & { attached: Set<number> } = {
    attached: new Set(),
    async attach(tabId) {
      if (fail.attach) throw new Error(fail.attach);
      api.attached.add(tabId);
    },
    async detach(tabId) {
      api.attached.delete(tabId);
    },
    async send(target, method, params) {
      sent.push({ target, method, params });
      if (fail[method]) throw new Error(fail[method]);
      if (method === "Runtime.evaluate" && fail.evaluateException)
        return { exceptionDetails: { text: "Uncaught", exception: { description: fail.evaluateException } } };
      return {};
    },
  };
  return {
    api,
    sent,
    methods: (sessionId?: string) =>
      sent.filter((x) => x.target.sessionId === sessionId).map((x) => x.method),
  };
}

function setup(fail: Record<string, string> = {}) {
  const dbg = fakeDebugger(fail);
  const messages: TapMessage[] = [];
  const states: DeepCaptureHealth[] = [];
  const timers: (() => void)[] = [];
  let now = 1000;
  const deep = new DeepCapture(
    dbg.api,
    { message: (_tab, m) => messages.push(m), state: (_tab, s) => states.push(s) },
    {
      tapSource: "/* worker tap */",
      now: () => now,
      setTimer: (fn) => {
        timers.push(fn);
        return timers.length as unknown as ReturnType<typeof setTimeout>;
      },
      clearTimer: (t) => {
        timers[(t as unknown as number) - 1] = () => undefined;
      },
    },
  );
  return { deep, dbg, messages, states, timers, tick: (ms: number) => (now += ms) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Chrome auto-attached a WhatsApp worker: paused at its start (`waiting`) or already running. */
function attach(
  deep: DeepCapture,
  sessionId: string,
  waiting: boolean,
  targetInfo: object = WA_WORKER,
): void {
  deep.onEvent({ tabId: TAB }, "Target.attachedToTarget", {
    sessionId,
    targetInfo,
    waitingForDebugger: waiting,
  });
}

describe("deep capture", () => {
  it("attaches and asks for every new worker paused", async () => {
    const { deep, dbg, states } = setup();
    const s = await deep.enable(TAB);
    expect(s.state).toBe("on");
    expect(dbg.api.attached.has(TAB)).toBe(true);
    expect(dbg.sent[0]).toEqual({
      target: { tabId: TAB },
      method: "Target.setAutoAttach",
      params: { autoAttach: true, waitForDebuggerOnStart: true, flatten: true },
    });
    expect(states.map((x) => x.state)).toEqual(["attaching", "on"]);
    expect(deep.isOn(TAB)).toBe(true);
  });

  it("taps a new WhatsApp worker at its first script, then resumes it and disables the debugger", async () => {
    const { deep, dbg, states } = setup();
    await deep.enable(TAB);
    attach(deep, "W1", true);
    await settle();
    expect(dbg.methods("W1")).toEqual([
      "Debugger.enable",
      "Debugger.setInstrumentationBreakpoint",
      "Runtime.runIfWaitingForDebugger",
    ]);
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Debugger.paused", { reason: "instrumentation" });
    await settle();
    await settle();
    expect(dbg.methods("W1").slice(3)).toEqual([
      "Runtime.addBinding",
      "Runtime.evaluate",
      "Debugger.resume",
      "Debugger.disable",
    ]);
    const evaluate = dbg.sent.find((x) => x.method === "Runtime.evaluate");
    expect(evaluate?.params?.expression).toBe("/* worker tap */");
    expect(dbg.sent.find((x) => x.method === "Runtime.addBinding")?.params).toEqual({
      name: WORKER_TAP_BINDING,
    });
    const w = states.at(-1)?.workers[0];
    expect(w).toMatchObject({ name: "WAWebBackendWorker-1", path: "/worker/backend.js", installed: "start" });
    expect(w?.error).toBeUndefined();
    // The worker URL's query (a session id) is never kept.
    expect(JSON.stringify(states)).not.toContain("SECRET");
  });

  it("taps a worker that already runs at once, marked late", async () => {
    const { deep, dbg, states } = setup();
    await deep.enable(TAB);
    attach(deep, "W1", false);
    await settle();
    expect(dbg.methods("W1")).toEqual(["Runtime.addBinding", "Runtime.evaluate"]);
    expect(states.at(-1)?.workers[0].installed).toBe("late");
  });

  it("never taps other targets, and never leaves them paused", async () => {
    const { deep, dbg } = setup();
    await deep.enable(TAB);
    const others = [
      { type: "worker", url: "https://example.com/w.js" },
      { type: "iframe", url: "https://web.whatsapp.com/frame" },
      { type: "worker", url: "data:text/javascript,0" },
      { type: "service_worker", url: "https://web.whatsapp.com/sw.js" },
    ];
    for (const [i, targetInfo] of others.entries()) attach(deep, `O${i}`, true, targetInfo);
    await settle();
    for (let i = 0; i < others.length; i++)
      expect(dbg.methods(`O${i}`)).toEqual(["Runtime.runIfWaitingForDebugger"]);
    expect(isWhatsAppWorker(WA_WORKER)).toBe(true);
    // The 2026 worker, module or classic: matched by target type and name, not by its URL.
    for (const type of ["MODULE", "CLASSIC"])
      expect(
        isWhatsAppWorker({
          type: "worker",
          url: `https://web.whatsapp.com/static_resources/webworker_v4/init_script/?worker_type=${type}&v=1`,
          title: "WAWebBackendWorker-3",
        }),
      ).toBe(true);
    // Other workers of the page (a blob worker, an unnamed one) are not the comms worker.
    expect(isWhatsAppWorker({ type: "worker", url: "blob:https://web.whatsapp.com/1234" })).toBe(false);
    expect(
      isWhatsAppWorker({
        type: "worker",
        url: "https://web.whatsapp.com/w.js",
        title: "https://web.whatsapp.com/w.js",
      }),
    ).toBe(false);
    expect(
      isWhatsAppWorker({ type: "worker", url: "https://evil.example/w.js", title: "WAWebBackendWorker-1" }),
    ).toBe(false);
    expect(workerPath("not a url")).toBe("(unknown)");
  });

  it("resumes the worker untouched when the tap cannot be installed, and says why", async () => {
    const { deep, dbg, states } = setup({ evaluateException: "SyntaxError: nope" });
    await deep.enable(TAB);
    attach(deep, "W1", true);
    await settle();
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Debugger.paused", { reason: "instrumentation" });
    await settle();
    await settle();
    expect(dbg.methods("W1")).toContain("Debugger.resume");
    expect(states.at(-1)?.workers[0].error).toBe("could not install the taps: SyntaxError: nope");
  });

  it("lets the worker run when the breakpoint cannot be set", async () => {
    const { deep, dbg, states } = setup({ "Debugger.setInstrumentationBreakpoint": "not supported" });
    await deep.enable(TAB);
    attach(deep, "W1", true);
    await settle();
    await settle();
    expect(dbg.methods("W1")).toEqual([
      "Debugger.enable",
      "Debugger.setInstrumentationBreakpoint",
      "Debugger.disable",
      "Runtime.runIfWaitingForDebugger",
    ]);
    deep.pageLoaded(TAB);
    expect(states.at(-1)?.workers[0].error).toMatch(/^could not pause the worker before its first script/);
  });

  it("gives up on a worker that never reaches its first script, resuming it", async () => {
    const { deep, dbg, timers, states } = setup();
    await deep.enable(TAB);
    attach(deep, "W1", true);
    await settle();
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(dbg.methods("W1")).toContain("Debugger.resume");
    expect(states.at(-1)?.workers[0].error).toBe("the worker did not reach its first script");
    expect(SETUP_TIMEOUT_MS).toBeGreaterThan(0);
  });

  it("resumes any pause that is not its own", async () => {
    const { deep, dbg } = setup();
    await deep.enable(TAB);
    attach(deep, "W1", false);
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Debugger.paused", { reason: "other" });
    await settle();
    expect(dbg.methods("W1")).toContain("Debugger.resume");
    expect(dbg.methods("W1")).not.toContain("Debugger.enable");
  });

  it("hands the worker tap's stanzas on with worker tap names, and keeps its health", async () => {
    const { deep, messages, states } = setup();
    await deep.enable(TAB);
    attach(deep, "W1", false);
    const batch: TapMessage[] = [
      {
        type: "stanza",
        stanza: {
          direction: "in",
          t: 5,
          tap: "transport",
          seenBy: ["transport"],
          node: { tag: "ack", attrs: { class: "call", id: "X" } },
        },
      },
      { type: "health", health: { taps: [], seenByTag: { ack: 1 }, forwarded: 1, filtered: 0, errors: 0 } },
    ];
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Runtime.bindingCalled", {
      name: WORKER_TAP_BINDING,
      payload: JSON.stringify(batch),
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      type: "stanza",
      stanza: { tap: "worker:transport", seenBy: ["worker:transport"] },
    });
    expect(states.at(-1)?.workers[0].health?.forwarded).toBe(1);
    // Other bindings and unreadable batches: nothing forwarded, the error shown.
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Runtime.bindingCalled", {
      name: "someone-else",
      payload: "[]",
    });
    deep.onEvent({ tabId: TAB, sessionId: "W1" }, "Runtime.bindingCalled", {
      name: WORKER_TAP_BINDING,
      payload: "{oops",
    });
    expect(messages).toHaveLength(1);
    expect(states.at(-1)?.workers[0].error).toMatch(/^unreadable batch from the worker tap/);
  });

  it("marks ended workers, drops them on the next page load, and keeps at most 8", async () => {
    const { deep, states } = setup();
    await deep.enable(TAB);
    for (let i = 0; i < 10; i++) attach(deep, `W${i}`, false);
    expect(states.at(-1)?.workers).toHaveLength(8);
    deep.onEvent({ tabId: TAB }, "Target.detachedFromTarget", { sessionId: "W9" });
    expect(states.at(-1)?.workers.at(-1)?.ended).toBe(true);
    deep.pageLoaded(TAB);
    expect(states.at(-1)?.workers).toHaveLength(7);
  });

  it("reports a refused attach, a Cancel on Chrome's bar, and switching off", async () => {
    const refused = setup({ attach: "Another debugger is already attached to the tab" });
    const s = await refused.deep.enable(TAB);
    expect(s).toMatchObject({
      state: "error",
      note: "could not attach the debugger: Another debugger is already attached to the tab",
    });

    const { deep, dbg, states } = setup();
    await deep.enable(TAB);
    deep.onDetach({ tabId: TAB }, "canceled_by_user");
    expect(states.at(-1)?.state).toBe("error");
    expect(states.at(-1)?.note).toMatch(/Cancel/);
    await deep.enable(TAB);
    await deep.disable(TAB);
    expect(states.at(-1)?.state).toBe("off");
    expect(dbg.api.attached.has(TAB)).toBe(false);
    expect(deep.isOn(TAB)).toBe(false);
  });
});
