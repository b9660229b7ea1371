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
import { isTapWrapper, TapGuard, tapWrapper } from "./guard";
import type { ModuleDefinitionLike } from "./moduleHook";

/** What the comms tap reports to. */
export interface CommsTapSink {
  onStanza(node: unknown, direction: Direction): void;
  /** An error inside the tap (used when no guard is given; with a guard, the guard reports). */
  onError(e: unknown): void;
  /**
   * A module of interest was found (for capture health): `comms-config` (getCommsConfig
   * wrapped), `comms` (a running comms singleton's handlers patched), `comms-proxy` (the
   * running comms object has no config: worker mode's proxy, wa-web-runtime.md §5.1).
   */
  onFound(what: "comms-config" | "comms" | "comms-proxy", detail?: string): void;
}

type AnyFn = (...args: unknown[]) => unknown;
type Handlers = Record<string, unknown>;

function wrapHandler(
  handlers: Handlers,
  name: string,
  direction: Direction,
  sink: CommsTapSink,
  guard: TapGuard,
): boolean {
  const original = handlers[name];
  if (typeof original !== "function" || isTapWrapper(original)) return false;
  handlers[name] = tapWrapper(original as AnyFn, guard, `comms-config.${name}`, {
    before: (_self, args) => sink.onStanza(args[0], direction),
  });
  return true;
}

/** The guard a caller gave, or one that reports to the sink (standalone use, tests). */
function guardOf(sink: CommsTapSink, guard?: TapGuard): TapGuard {
  return guard ?? new TapGuard("comms-config", (_name, e) => sink.onError(e));
}

/**
 * Wraps `onHandleStanza` and `onCastStanza` of a handlers object in place (idempotent).
 * @param guard when given, the first tap error switches the tap off (see `guard.ts`).
 * @returns true when at least one handler was wrapped now.
 */
export function wrapCommsHandlers(handlers: unknown, sink: CommsTapSink, guard?: TapGuard): boolean {
  if (!handlers || typeof handlers !== "object") return false;
  const h = handlers as Handlers;
  const g = guardOf(sink, guard);
  const a = wrapHandler(h, "onHandleStanza", "in", sink, g);
  const b = wrapHandler(h, "onCastStanza", "out", sink, g);
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
  private proxyReported = false;

  /** @param guard when given, the first tap error switches the comms tap off. */
  constructor(
    private readonly sink: CommsTapSink,
    private readonly guard?: TapGuard,
  ) {}

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
  }

  private wrapGetCommsConfig(ex: Record<string, unknown>): void {
    const original = ex.getCommsConfig as AnyFn;
    if (isTapWrapper(original)) return;
    const { sink } = this;
    const guard = guardOf(sink, this.guard);
    // The handlers are wrapped on the returned object, after WA's call returned: the same
    // object is returned, and nothing runs before WA's code.
    const wrapper = tapWrapper(original, guard, "comms-config.getCommsConfig", {
      after: (config) => {
        wrapCommsHandlers((config as { handlers?: unknown } | null)?.handlers, sink, guard);
      },
    });
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
      if (instance && typeof instance === "object" && !instance.config && !this.proxyReported) {
        this.proxyReported = true;
        this.sink.onFound("comms-proxy");
      }
      const handlers = instance?.config?.handlers;
      if (!handlers || typeof handlers !== "object") return false;
      wrapCommsHandlers(handlers, this.sink, this.guard);
      return true;
    } catch {
      // getComms throws before startComms in WA; try again later
      return false;
    }
  }
}
