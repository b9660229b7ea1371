/**
 * Keeping tap faults away from WhatsApp's code. Every wrapper of a WhatsApp function is made by
 * {@link tapWrapper}, the one place that decides how a tap runs beside WhatsApp: capture code
 * inside `try`/`catch` behind a per-tap {@link TapGuard}, whose first exception switches that tap
 * off (its wrappers then only pass calls through) and is reported in capture health. WA's own
 * call always runs outside the `try`, synchronously, so its return value (the same object, the
 * same Promise), `this`, arguments and thrown errors are untouched, and nothing is awaited.
 *
 * Fault injection: the never-shipped build `vite.faulty.config.ts` defines
 * `__WACI_FAULT__ = "throw"`, which makes every capture entry point ({@link faultPoint}) throw,
 * to prove end to end that a broken tap cannot change the page's behaviour.
 */
import type { TapName } from "../shared/trace/types";

declare const __WACI_FAULT__: string | undefined;

/** Fault-injection switch: on only in the fault-injection build (and in tests that set it). */
export const faults = {
  on: typeof __WACI_FAULT__ !== "undefined" && __WACI_FAULT__ === "throw",
};

/**
 * A capture entry point: throws `Error("injected fault at <site>")` when fault injection is on,
 * otherwise does nothing. Call it first inside the guarded region of every entry point.
 */
export function faultPoint(site: string): void {
  if (faults.on) throw new Error(`injected fault at ${site}`);
}

/** The on/off state of one tap. Cheap to check on every call (`guard.enabled`). */
export class TapGuard {
  enabled = true;
  /** The error that switched the tap off. */
  error: unknown;

  /**
   * @param name the tap.
   * @param onDisable told once, when the tap is switched off (its own errors are swallowed).
   */
  constructor(
    readonly name: TapName,
    private readonly onDisable: (name: TapName, error: unknown) => void,
  ) {}

  /** Switches the tap off after `error` and reports it once. Never throws. */
  disable(error: unknown): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.error = error;
    try {
      this.onDisable(this.name, error);
    } catch {
      // reporting must not fail the caller
    }
  }
}

type AnyFn = (...args: unknown[]) => unknown;

const ORIGINALS = new WeakMap<AnyFn, AnyFn>();

/** Whether `fn` is one of our wrappers. */
export function isTapWrapper(fn: unknown): boolean {
  return typeof fn === "function" && ORIGINALS.has(fn as AnyFn);
}

/** The function a wrapper wraps (for tests and the bench), or `fn` itself. */
export function unwrap<T>(fn: T): T {
  return (typeof fn === "function" && (ORIGINALS.get(fn as unknown as AnyFn) as T)) || fn;
}

/**
 * Registers `wrapper` as wrapping `original` and gives it the original's `name` and `length`
 * (so that code reading them sees no difference). Returns `wrapper`.
 */
export function markWrapper<W extends AnyFn>(wrapper: W, original: AnyFn): W {
  ORIGINALS.set(wrapper, original);
  try {
    Object.defineProperty(wrapper, "name", { value: original.name, configurable: true });
    Object.defineProperty(wrapper, "length", { value: original.length, configurable: true });
  } catch {
    // cosmetic only
  }
  return wrapper;
}

/** What a tap does beside one WhatsApp function (see {@link tapWrapper}). */
export interface TapHooks {
  /**
   * Runs before WA's function, with its `this` and arguments (copy what is needed now; never
   * keep `args` itself, never mutate it).
   */
  before?(self: unknown, args: unknown[]): void;
  /** Runs after WA's function returned (not when it threw), with the value it returned. */
  after?(result: unknown, self: unknown, args: unknown[]): void;
}

/**
 * Wraps one of WhatsApp's functions for a tap. The wrapper calls `original` synchronously with
 * the same `this` and arguments and returns its value (or lets its error propagate) untouched;
 * the hooks run in the tap's guard: {@link faultPoint}`(site)` first, and an exception switches
 * the tap off ({@link TapGuard.disable}) instead of reaching WhatsApp. A switched-off tap's
 * wrapper only passes calls through. The wrapper has the original's `name` and `length` and is
 * known to {@link isTapWrapper} / {@link unwrap}.
 * @param original WA's function.
 * @param guard the tap's on/off state.
 * @param site a name for fault injection and error reports, e.g. `codec.decodeStanza`.
 * @returns the wrapper (never throws).
 */
export function tapWrapper<F extends AnyFn>(original: F, guard: TapGuard, site: string, hooks: TapHooks): F {
  const { before, after } = hooks;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    if (before !== undefined && guard.enabled) {
      try {
        faultPoint(site);
        before(this, args);
      } catch (e) {
        guard.disable(e);
      }
    }
    const out = original.apply(this, args);
    if (after !== undefined && guard.enabled) {
      try {
        if (before === undefined) faultPoint(site);
        after(out, this, args);
      } catch (e) {
        guard.disable(e);
      }
    }
    return out;
  };
  return markWrapper(wrapper as F, original);
}
