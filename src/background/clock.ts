/**
 * The clock and timers of the background's modules that wait (deep capture's setup timeout,
 * the page/worker merge's hold), injected so that tests run them on a manual clock.
 */

/** A ms clock with timers. */
export interface Clock {
  /** The time, ms (epoch or monotonic: each user says which). */
  now: () => number;
  setTimer: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer: (t: ReturnType<typeof setTimeout>) => void;
}

/** `options` completed with `now` and the global `setTimeout` / `clearTimeout` where absent. */
export function clockOf(options: Partial<Clock>, now: () => number): Clock {
  return {
    now: options.now ?? now,
    setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
    clearTimer: options.clearTimer ?? ((t) => clearTimeout(t)),
  };
}
