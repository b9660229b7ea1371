/**
 * The module tap: finds WhatsApp Web's comms modules by the shape of their exports and
 * wraps the comms config handlers `onHandleStanza` (every inbound node) and
 * `onCastStanza` (every outbound node, called after the send resolves).
 * Source: ../shared/research/wa-web-runtime.md §3 (getCommsConfig returns a new object per
 * call; WAComms keeps it and reads `config.handlers.X` on every call, so an in-place
 * patch of `getComms().config.handlers` works after boot).
 *
 * Guarantees (never harm the page): wrappers call the original synchronously with the
 * same `this` and arguments and return its value or rethrow its error untouched; the
 * capture runs before it inside try/catch and never awaits.
 */
import type { Direction } from "../shared/trace/types";
import type { ModuleDefinitionLike } from "./moduleHook";

/** What the comms tap reports to. */
export interface CommsTapSink {
  onStanza(node: unknown, direction: Direction): void;
  onError(e: unknown): void;
  /** A module of interest was found (for capture health). */
  onFound(what: "comms-config" | "comms" | "codec" | "build" | "gating", detail?: string): void;
}

type AnyFn = (...args: unknown[]) => unknown;
type Handlers = Record<string, unknown>;

const WRAPPED_FNS = new WeakSet<AnyFn>();

function wrapHandler(handlers: Handlers, name: string, direction: Direction, sink: CommsTapSink): boolean {
  const original = handlers[name];
  if (typeof original !== "function" || WRAPPED_FNS.has(original as AnyFn)) return false;
  const fn = original as AnyFn;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    try {
      sink.onStanza(args[0], direction);
    } catch (e) {
      try {
        sink.onError(e);
      } catch {
        // never reaches WhatsApp
      }
    }
    return fn.apply(this, args);
  };
  WRAPPED_FNS.add(wrapper);
  handlers[name] = wrapper;
  return true;
}

/**
 * Wraps `onHandleStanza` and `onCastStanza` of a handlers object in place (idempotent).
 * @returns true when at least one handler was wrapped now.
 */
export function wrapCommsHandlers(handlers: unknown, sink: CommsTapSink): boolean {
  if (!handlers || typeof handlers !== "object") return false;
  const h = handlers as Handlers;
  const a = wrapHandler(h, "onHandleStanza", "in", sink);
  const b = wrapHandler(h, "onCastStanza", "out", sink);
  return a || b;
}

/** The exports object of a module definition (namespace), if any. */
function exportsOf(def: ModuleDefinitionLike): Record<string, unknown> | undefined {
  const e = def.exports;
  return e && typeof e === "object" ? (e as Record<string, unknown>) : undefined;
}

/** Live state of the comms tap: the WAComms-shaped module, once found. */
export class CommsTap {
  private comms: Record<string, unknown> | undefined;

  constructor(private readonly sink: CommsTapSink) {}

  /** Inspects one module definition and hooks it when its exports have a known shape. */
  visit(def: ModuleDefinitionLike): void {
    const ex = exportsOf(def);
    if (!ex) return;
    if (typeof ex.getCommsConfig === "function") this.wrapGetCommsConfig(ex);
    if (typeof ex.getComms === "function" && typeof ex.startComms === "function") {
      this.comms = ex;
      this.sink.onFound("comms", def.id);
      this.patchRunningComms();
    }
    if (typeof ex.encodeStanza === "function" && typeof ex.decodeStanza === "function") {
      this.sink.onFound("codec", def.id);
    }
    if (typeof ex.VERSION_STR === "string") this.sink.onFound("build", ex.VERSION_STR);
    if (typeof ex.isCommsInWorker === "function") {
      try {
        this.sink.onFound("gating", (ex.isCommsInWorker as AnyFn)() ? "worker" : "main-thread");
      } catch (e) {
        this.sink.onError(e);
      }
    }
  }

  private wrapGetCommsConfig(ex: Record<string, unknown>): void {
    const original = ex.getCommsConfig as AnyFn;
    if (WRAPPED_FNS.has(original)) return;
    const sink = this.sink;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      const config = original.apply(this, args);
      try {
        wrapCommsHandlers((config as { handlers?: unknown } | null)?.handlers, sink);
      } catch (e) {
        sink.onError(e);
      }
      return config;
    };
    WRAPPED_FNS.add(wrapper);
    try {
      ex.getCommsConfig = wrapper;
      this.sink.onFound("comms-config");
    } catch (e) {
      this.sink.onError(e);
    }
  }

  /**
   * Patches the handlers of an already started comms singleton in place.
   * @returns true when a running config's handlers are (now or already) wrapped.
   */
  patchRunningComms(): boolean {
    if (!this.comms) return false;
    try {
      const instance = (this.comms.getComms as AnyFn)() as { config?: { handlers?: unknown } } | null;
      const handlers = instance?.config?.handlers;
      if (!handlers || typeof handlers !== "object") return false;
      wrapCommsHandlers(handlers, this.sink);
      return true;
    } catch {
      // getComms throws before startComms in WA; try again later
      return false;
    }
  }
}
