/**
 * Deep capture: the opt-in route into WhatsApp's comms worker (wa-web-capture.md §6). When
 * comms run in a dedicated worker, the page's taps never see the socket, the Noise keys or the
 * acks; content scripts cannot reach workers at all. With the user's consent (the optional
 * `debugger` permission), the background attaches `chrome.debugger` to the tab and asks Chrome
 * to auto-attach every new worker paused (`Target.setAutoAttach {waitForDebuggerOnStart,
 * flatten}`, Chrome ≥ 125 for child sessions). For each dedicated worker of web.whatsapp.com it
 * then:
 *
 * 1. sets an instrumentation breakpoint before the first script (`Debugger.enable`,
 *    `Debugger.setInstrumentationBreakpoint beforeScriptExecution`) and lets the worker start:
 *    a worker paused at creation has no complete global yet (no `setTimeout`, no `crypto.subtle`);
 * 2. at that breakpoint adds the binding {@link WORKER_TAP_BINDING} (`Runtime.addBinding`, no
 *    `Runtime.enable`, so none of the worker's console output reaches the extension) and
 *    evaluates the worker tap (`src/worker/tap.ts`, the page's tap core on `self`);
 * 3. resumes and disables the Debugger domain again.
 *
 * A worker that already runs when deep capture is switched on gets the taps at once ("late":
 * what happened before is missed). Any other target, and any worker whose setup fails, is
 * resumed untouched: deep capture never leaves a target paused. Workers of other origins are
 * never tapped. The worker taps' batches arrive as `Runtime.bindingCalled` events.
 *
 * No browser globals here: the debugger API is injected, so this runs in Node tests.
 */
import { asWorkerDraft } from "../shared/capture/contexts";
import { type TapMessage, WORKER_TAP_BINDING } from "../shared/protocol/messages";
import type { CaptureHealth, DeepCaptureHealth, WorkerCaptureHealth } from "../shared/trace/types";
import { type Clock, clockOf } from "./clock";

/** The origin whose workers are tapped. */
export const WA_ORIGIN = "https://web.whatsapp.com";

/** Workers kept in a tab's deep-capture health (older ended ones are forgotten). */
export const MAX_WORKERS = 8;

/** Longest a worker may stay paused for the tap's setup before it is resumed anyway, ms. */
export const SETUP_TIMEOUT_MS = 3_000;

/** A debugger target: the tab, or a child session (a worker) of it. */
export interface DebuggeeTarget {
  tabId: number;
  sessionId?: string;
}

/** What deep capture needs of `chrome.debugger` (the background adapts the real one). */
export interface DebuggerApi {
  /** Attaches to the tab (protocol 1.3). Rejects when it cannot (another extension, chrome:// page). */
  attach(tabId: number): Promise<void>;
  detach(tabId: number): Promise<void>;
  /** Sends one CDP command. Rejects with the protocol's error. */
  send(target: DebuggeeTarget, method: string, params?: Record<string, unknown>): Promise<unknown>;
}

/** Where deep capture delivers what it learns. */
export interface DeepCaptureSink {
  /** A tap message from a worker tap; stanza drafts already carry `worker:` tap names. */
  message(tabId: number, message: TapMessage): void;
  /** The tab's deep-capture state changed (a copy; store it as `health.deepCapture`). */
  state(tabId: number, deep: DeepCaptureHealth): void;
}

/** A CDP `TargetInfo`, as far as deep capture reads it. */
interface TargetInfo {
  type?: string;
  url?: string;
  title?: string;
}

interface WorkerState {
  health: WorkerCaptureHealth;
  /** The instrumentation breakpoint is set and the tap not yet evaluated. */
  awaitingBreakpoint: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

interface TabState {
  deep: DeepCaptureHealth;
  workers: Map<string, WorkerState>;
}

/** Options of {@link DeepCapture}. */
export interface DeepCaptureOptions {
  /** The worker tap's source (an IIFE). */
  tapSource: string;
  /** Epoch ms clock (default `Date.now`). */
  now?: () => number;
  setTimer?: Clock["setTimer"];
  clearTimer?: Clock["clearTimer"];
}

/** The script path of a worker URL, without origin or query (`/worker/backend.js`). */
export function workerPath(url: string | undefined): string {
  try {
    return new URL(url ?? "").pathname;
  } catch {
    return "(unknown)";
  }
}

/**
 * The name WhatsApp gives its backend (comms) worker: `new Worker(url, {name:
 * "WAWebBackendWorker-" + tabId, type})`, module or classic (`WebWorkerV4Resource`,
 * wa-web-2026.md §3). Chromium reports a dedicated worker's name as its target title.
 */
export const BACKEND_WORKER_NAME = /^WAWebBackendWorker(-|$)/;

/**
 * Whether a target is WhatsApp Web's backend worker, the only target tapped: a dedicated worker
 * (`type: "worker"`, module and classic alike) of `https://web.whatsapp.com` whose name is
 * {@link BACKEND_WORKER_NAME}. Matched by type and name, not by script URL, which changes
 * between builds (`/static_resources/webworker_v4/init_script/?worker_type=MODULE|CLASSIC…`).
 */
export function isWhatsAppWorker(info: TargetInfo | undefined): boolean {
  if (info?.type !== "worker" || !BACKEND_WORKER_NAME.test(info.title ?? "")) return false;
  try {
    return new URL(info.url ?? "").origin === WA_ORIGIN;
  } catch {
    return false;
  }
}

/** Deep capture for every tab it was switched on in. See the module comment. */
export class DeepCapture {
  private readonly tabs = new Map<number, TabState>();
  private readonly clock: Clock;
  private readonly tapSource: string;

  constructor(
    private readonly api: DebuggerApi,
    private readonly sink: DeepCaptureSink,
    options: DeepCaptureOptions,
  ) {
    this.tapSource = options.tapSource;
    this.clock = clockOf(options, Date.now);
  }

  /** Whether deep capture is on (or being switched on) for the tab. */
  isOn(tabId: number): boolean {
    const s = this.tabs.get(tabId)?.deep.state;
    return s === "on" || s === "attaching";
  }

  /** The tab's current deep-capture state (a copy), or `off` when never enabled. */
  state(tabId: number): DeepCaptureHealth {
    const t = this.tabs.get(tabId);
    return t ? snapshot(t) : { state: "off", workers: [] };
  }

  /**
   * Switches deep capture on for the tab: attaches, then auto-attaches workers (new ones paused,
   * running ones tapped at once). Never throws: a failure becomes state `error` with its reason.
   */
  async enable(tabId: number): Promise<DeepCaptureHealth> {
    const t = this.tab(tabId);
    if (t.deep.state === "on" || t.deep.state === "attaching") return snapshot(t);
    t.deep = { state: "attaching", since: this.clock.now(), workers: t.deep.workers };
    this.publish(tabId);
    try {
      await this.api.attach(tabId);
    } catch (e) {
      return this.fail(tabId, `could not attach the debugger: ${message(e)}`);
    }
    try {
      await this.api.send({ tabId }, "Target.setAutoAttach", {
        autoAttach: true,
        waitForDebuggerOnStart: true,
        flatten: true,
      });
    } catch (e) {
      await this.api.detach(tabId).catch(() => undefined);
      return this.fail(tabId, `could not watch the page's workers: ${message(e)}`);
    }
    t.deep.state = "on";
    t.deep.note =
      "taps go into every new WhatsApp worker before its first script; reload the page to capture a running worker from its start";
    this.publish(tabId);
    return snapshot(t);
  }

  /** Switches deep capture off (detaches; the worker taps stop reporting with their worker). */
  async disable(tabId: number, note = "switched off"): Promise<void> {
    const t = this.tabs.get(tabId);
    if (!t) return;
    const wasAttached = t.deep.state === "on" || t.deep.state === "attaching";
    this.endWorkers(t);
    t.deep = { state: "off", note, workers: t.deep.workers };
    this.publish(tabId);
    if (wasAttached) await this.api.detach(tabId).catch(() => undefined);
  }

  /** Forgets a closed tab. */
  forget(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (t) this.endWorkers(t);
    this.tabs.delete(tabId);
  }

  /** The page of the tab reloaded: workers that ended are dropped from its health. */
  pageLoaded(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    t.deep.workers = t.deep.workers.filter((w) => !w.ended);
    for (const [id, w] of t.workers) if (w.health.ended) t.workers.delete(id);
    this.publish(tabId);
  }

  /**
   * Chrome detached the debugger (`chrome.debugger.onDetach`): the tab closed, or the user
   * pressed Cancel on the "started debugging this browser" bar (`canceled_by_user`).
   */
  onDetach(source: DebuggeeTarget, reason: string): void {
    const t = this.tabs.get(source.tabId);
    if (!t || t.deep.state === "off") return;
    this.endWorkers(t);
    t.deep = {
      state: reason === "canceled_by_user" ? "error" : "off",
      note:
        reason === "canceled_by_user"
          ? "the debugger was detached from the browser's debugging bar (Cancel); switch deep capture on again to resume"
          : `the debugger was detached (${reason})`,
      workers: t.deep.workers,
    };
    this.publish(source.tabId);
  }

  /** One CDP event of an attached tab (`chrome.debugger.onEvent`). Never throws. */
  onEvent(source: DebuggeeTarget, method: string, params: unknown): void {
    const t = this.tabs.get(source.tabId);
    if (!t) return;
    try {
      const p = (params ?? {}) as Record<string, unknown>;
      if (method === "Target.attachedToTarget") this.onAttached(source.tabId, t, p);
      else if (method === "Target.detachedFromTarget") this.onDetached(source.tabId, t, p);
      else if (method === "Debugger.paused" && source.sessionId) this.onPaused(source, t, p);
      else if (method === "Runtime.bindingCalled" && source.sessionId)
        this.onBinding(source.tabId, t, source.sessionId, p);
    } catch (e) {
      t.deep.note = `internal error: ${message(e)}`;
      this.publish(source.tabId);
    }
  }

  private tab(tabId: number): TabState {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { deep: { state: "off", workers: [] }, workers: new Map() };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  private fail(tabId: number, note: string): DeepCaptureHealth {
    const t = this.tab(tabId);
    t.deep = { state: "error", note, workers: t.deep.workers };
    this.publish(tabId);
    return snapshot(t);
  }

  private endWorkers(t: TabState): void {
    for (const w of t.workers.values()) {
      w.health.ended = true;
      if (w.timer !== undefined) this.clock.clearTimer(w.timer);
    }
    t.workers.clear();
  }

  private publish(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (t) this.sink.state(tabId, snapshot(t));
  }

  private onAttached(tabId: number, t: TabState, p: Record<string, unknown>): void {
    const sessionId = typeof p.sessionId === "string" ? p.sessionId : undefined;
    if (!sessionId) return;
    const child: DebuggeeTarget = { tabId, sessionId };
    const info = p.targetInfo as TargetInfo | undefined;
    const waiting = p.waitingForDebugger === true;
    if (!isWhatsAppWorker(info) || (t.deep.state !== "on" && t.deep.state !== "attaching")) {
      if (waiting) void this.resume(child);
      return;
    }
    const path = workerPath(info?.url);
    const health: WorkerCaptureHealth = {
      name: info?.title && info.title !== info.url ? info.title : path,
      path,
      installed: waiting ? "start" : "late",
      t: this.clock.now(),
    };
    const w: WorkerState = { health, awaitingBreakpoint: waiting };
    t.workers.set(sessionId, w);
    t.deep.workers = [...t.deep.workers.slice(-(MAX_WORKERS - 1)), health];
    this.publish(tabId);
    if (waiting) {
      w.timer = this.clock.setTimer(
        () => this.giveUp(child, w, "the worker did not reach its first script"),
        SETUP_TIMEOUT_MS,
      );
      void this.armBreakpoint(child, w);
    } else void this.injectLate(child, w);
  }

  /** Step 1: breakpoint before the worker's first script, then let it start. */
  private async armBreakpoint(child: DebuggeeTarget, w: WorkerState): Promise<void> {
    try {
      await this.api.send(child, "Debugger.enable");
      await this.api.send(child, "Debugger.setInstrumentationBreakpoint", {
        instrumentation: "beforeScriptExecution",
      });
    } catch (e) {
      w.awaitingBreakpoint = false;
      w.health.error = `could not pause the worker before its first script: ${message(e)}`;
      await this.api.send(child, "Debugger.disable").catch(() => undefined);
    }
    await this.resume(child);
  }

  /** Steps 2 and 3, at the breakpoint. */
  private onPaused(child: DebuggeeTarget, t: TabState, p: Record<string, unknown>): void {
    const w = t.workers.get(child.sessionId as string);
    if (!w?.awaitingBreakpoint || p.reason !== "instrumentation") {
      // Not our pause (or a second one): never hold the worker.
      void this.api.send(child, "Debugger.resume").catch(() => undefined);
      return;
    }
    w.awaitingBreakpoint = false;
    if (w.timer !== undefined) this.clock.clearTimer(w.timer);
    void (async () => {
      try {
        await this.inject(child);
        w.health.t = this.clock.now();
      } catch (e) {
        w.health.error = `could not install the taps: ${message(e)}`;
      }
      await this.api.send(child, "Debugger.resume").catch(() => undefined);
      await this.api.send(child, "Debugger.disable").catch(() => undefined);
      this.publish(child.tabId);
    })();
  }

  private async injectLate(child: DebuggeeTarget, w: WorkerState): Promise<void> {
    try {
      await this.inject(child);
    } catch (e) {
      w.health.error = `could not install the taps: ${message(e)}`;
      this.publish(child.tabId);
    }
  }

  private async inject(child: DebuggeeTarget): Promise<void> {
    await this.api.send(child, "Runtime.addBinding", { name: WORKER_TAP_BINDING });
    const r = (await this.api.send(child, "Runtime.evaluate", {
      expression: this.tapSource,
      silent: true,
      returnByValue: true,
    })) as { exceptionDetails?: { text?: string; exception?: { description?: string } } } | undefined;
    if (r?.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(d.exception?.description ?? d.text ?? "exception");
    }
  }

  private giveUp(child: DebuggeeTarget, w: WorkerState, why: string): void {
    if (!w.awaitingBreakpoint) return;
    w.awaitingBreakpoint = false;
    w.health.error = why;
    void this.api.send(child, "Debugger.disable").catch(() => undefined);
    void this.api.send(child, "Debugger.resume").catch(() => undefined);
    this.publish(child.tabId);
  }

  private resume(child: DebuggeeTarget): Promise<void> {
    return this.api.send(child, "Runtime.runIfWaitingForDebugger").then(
      () => undefined,
      () => undefined,
    );
  }

  private onDetached(tabId: number, t: TabState, p: Record<string, unknown>): void {
    const sessionId = typeof p.sessionId === "string" ? p.sessionId : undefined;
    const w = sessionId ? t.workers.get(sessionId) : undefined;
    if (!w || !sessionId) return;
    w.health.ended = true;
    if (w.timer !== undefined) this.clock.clearTimer(w.timer);
    t.workers.delete(sessionId);
    this.publish(tabId);
  }

  private onBinding(tabId: number, t: TabState, sessionId: string, p: Record<string, unknown>): void {
    if (p.name !== WORKER_TAP_BINDING) return;
    const w = t.workers.get(sessionId);
    if (!w) return;
    let batch: unknown;
    try {
      batch = JSON.parse(String(p.payload));
    } catch (e) {
      w.health.error = `unreadable batch from the worker tap: ${message(e)}`;
      this.publish(tabId);
      return;
    }
    if (!Array.isArray(batch)) return;
    let healthChanged = false;
    for (const m of batch as TapMessage[]) {
      if (!m || typeof m !== "object") continue;
      if (m.type === "stanza" && m.stanza && typeof m.stanza === "object")
        this.sink.message(tabId, { type: "stanza", stanza: asWorkerDraft(m.stanza) });
      else if (m.type === "health" && m.health && typeof m.health === "object") {
        w.health.health = m.health as CaptureHealth;
        healthChanged = true;
      }
    }
    if (healthChanged) this.publish(tabId);
  }
}

function snapshot(t: TabState): DeepCaptureHealth {
  return structuredClone(t.deep);
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return typeof e === "string" ? e : JSON.stringify(e);
  } catch {
    return String(e);
  }
}
