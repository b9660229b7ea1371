/**
 * Helpers for the page-tap tests (not a test file itself): a capture whose output is
 * recorded, and a way to let timer tasks run.
 */

import type { CapturedStanzaDraft, CaptureHealth } from "../../src/shared/trace/types";
import { Capture, type CaptureOptions } from "../../src/tap/capture";

/** Waits for `ms` (real timers): lets the tap's timer tasks run. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A capture that records what it emits, with a short dedupe hold. */
export function recordingCapture(options: Partial<CaptureOptions> = {}) {
  const stanzas: CapturedStanzaDraft[] = [];
  const healths: CaptureHealth[] = [];
  let now = 1_000_000;
  const capture = new Capture({
    output: { stanza: (s) => stanzas.push(s), health: (h) => healths.push(h) },
    clock: () => (now += 0.01),
    holdMs: 0,
    healthMs: 5,
    batchMs: 0,
    ...options,
  });
  return { capture, stanzas, healths };
}

/** A Promise whose `then` calls are counted (to prove the tap never reacts to WA's promises). */
export function observedPromise<T>(value: T): { promise: Promise<T>; thenCalls: () => number } {
  const promise = Promise.resolve(value);
  let calls = 0;
  const then = promise.then.bind(promise);
  // biome-ignore lint/suspicious/noThenProperty: counts the tap's (forbidden) reactions on WA's promise.
  Object.defineProperty(promise, "then", {
    value: (...a: Parameters<typeof then>) => {
      calls++;
      return then(...a);
    },
  });
  return { promise, thenCalls: () => calls };
}
