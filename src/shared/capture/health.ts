/**
 * Derived capture-health hints: why nothing was captured (`emptyReason`) and what the current
 * mode cannot see (`limitations`). Computed by the tap before it sends health; pure, so the
 * panel can recompute them for older health records.
 */
import type { CaptureHealth, CaptureLimitation, EmptyReason, WorkerCaptureHealth } from "../trace/types";

/** The remedy the hints name for what only WhatsApp's worker sees (Chrome and Edge: the debugger API). */
const DEEP_CAPTURE_REMEDY = "enable deep capture";

/**
 * A hint as shown where deep capture does not exist (the Firefox build): its remedy becomes a
 * plain statement of what would be needed.
 * @returns `message` with every "enable deep capture" replaced.
 */
export function withoutDeepCapture(message: string): string {
  return message.replaceAll(
    DEEP_CAPTURE_REMEDY,
    "deep capture would show more, but it needs Chrome's or Edge's debugger API",
  );
}

/** Total stanzas seen (every tag; the per-tag maximum over taps). */
export function totalSeen(h: CaptureHealth): number {
  let n = 0;
  for (const v of Object.values(h.seenByTag)) n += v;
  return n;
}

/**
 * The worker taps of deep capture that can see stanzas now: deep capture is on and the worker
 * has not ended, was not refused, and has a tap installed and not disabled.
 */
export function coveringWorkers(h: CaptureHealth): WorkerCaptureHealth[] {
  const d = h.deepCapture;
  if (d?.state !== "on") return [];
  return d.workers.filter(
    (w) => !w.ended && !w.error && (w.health?.taps.some((t) => t.installed && !t.disabled) ?? false),
  );
}

/** Stanzas forwarded by the page and by every worker that can see stanzas now. */
function totalForwarded(h: CaptureHealth, workers: readonly WorkerCaptureHealth[]): number {
  return workers.reduce((n, w) => n + (w.health?.forwarded ?? 0), h.forwarded);
}

/**
 * Why no call stanza was captured, or `undefined` once one was forwarded (by the page or by a
 * worker tap of deep capture, `h.deepCapture`).
 */
export function emptyReasonFor(h: CaptureHealth): EmptyReason | undefined {
  const workers = coveringWorkers(h);
  if (totalForwarded(h, workers) > 0) return undefined;
  const seen = workers.reduce((n, w) => n + (w.health ? totalSeen(w.health) : 0), totalSeen(h));
  const disabled = h.taps.filter((t) => t.disabled);
  const working = h.taps.filter((t) => t.installed && !t.disabled);
  if (disabled.length > 0 && working.length === 0 && workers.length === 0) {
    const why = h.lastError ? `: ${h.lastError.message}` : "";
    return {
      code: "taps-disabled",
      message: `every tap was switched off after an internal error (${disabled.map((t) => t.name).join(", ")})${why}`,
    };
  }
  if (h.commsMode === "worker" && workers.length === 0) {
    const deep = h.deepCapture;
    if (deep?.state === "on" || deep?.state === "attaching")
      return {
        code: "worker-comms",
        message: `comms run in a worker and deep capture is on, but no worker tap has reported yet: reload the page so that the taps are in WhatsApp's worker from its start (${seen} stanzas seen on the page, none were call stanzas)`,
      };
    const failed = deep?.state === "error" && deep.note ? ` (deep capture failed: ${deep.note})` : "";
    return {
      code: "worker-comms",
      message: `comms run in a worker: ${DEEP_CAPTURE_REMEDY} (${seen} stanzas seen on the page, none were call stanzas)${failed}`,
    };
  }
  const unknown = h.dictionary?.unknownVersions ?? [];
  if (seen === 0 && unknown.length > 0 && (h.undecodable ?? 0) > 0) {
    return {
      code: "dictionary-unknown",
      message: `the connection uses token dictionary v${unknown.join(", v")}, which this version cannot decode (${h.undecodable ?? 0} frames counted, none decoded)`,
    };
  }
  const moduleTap = h.taps.some((t) => (t.name === "comms-config" || t.name === "codec") && t.installed);
  const transport = h.taps.find((t) => t.name === "transport");
  const traffic = transport?.live || (h.transport?.framesIn ?? 0) + (h.transport?.framesOut ?? 0) > 0;
  if (!moduleTap && !traffic && workers.length === 0) {
    const more = transport?.installed
      ? `; no chat-socket traffic on this page either (comms may run in a worker: ${DEEP_CAPTURE_REMEDY})`
      : "";
    return { code: "no-tap", message: `tap not installed: no stanza codec module found${more}` };
  }
  if (seen === 0) return { code: "nothing-seen", message: "tap installed; no stanza seen yet" };
  return { code: "no-call-stanzas", message: `${seen} stanzas seen, none were call stanzas` };
}

/** Known gaps of the current capture (page and deep capture), shown even when calls were captured. */
export function limitationsFor(h: CaptureHealth): CaptureLimitation[] {
  const out: CaptureLimitation[] = [];
  const workers = coveringWorkers(h);
  if (h.commsMode === "worker" && workers.length === 0) {
    out.push({
      code: "worker-acks-hidden",
      message: `comms run in a worker: acks, iq results and pings of the worker's own traffic are not visible, nor the call receipts and call placeholders the worker handles itself, and ack latencies of the page's call stanzas include the page↔worker hops; ${DEEP_CAPTURE_REMEDY}`,
    });
  }
  const pageWireTap = h.taps.some(
    (t) => (t.name === "transport" || t.name === "comms-config") && t.live && !t.disabled,
  );
  if ((h.codecOnly ?? 0) > 0 && !pageWireTap && workers.length === 0) {
    out.push({
      code: "codec-only",
      message: `${h.codecOnly} call stanzas were seen only by WhatsApp's codec on this page, by no tap on the wire: they are marked unconfirmed (WhatsApp's codec also carries things that never cross the wire; ${DEEP_CAPTURE_REMEDY} to confirm them)`,
    });
  }
  if (h.modules && !h.modules.voip && (h.modules.codec || h.modules.comms)) {
    out.push({
      code: "voip-modules-pending",
      message:
        "VoIP modules not loaded yet: WhatsApp loads them when the first call starts; the taps keep watching and need nothing more",
    });
  }
  for (const w of workers) {
    if (w.installed === "late")
      out.push({
        code: "deep-capture-late",
        message: `deep capture joined ${w.name} after it had started: stanzas before then were missed and its Noise keys are unknown to the transport tap; reload the page to capture from the start`,
      });
  }
  const deep = h.deepCapture;
  if (deep?.state === "error")
    out.push({ code: "deep-capture-off", message: `deep capture stopped: ${deep.note ?? "detached"}` });
  const unknown = h.dictionary?.unknownVersions ?? [];
  if (unknown.length > 0) {
    out.push({
      code: "dictionary-unknown",
      message: `frames using token dictionary v${unknown.join(", v")} are counted but not decoded`,
    });
  }
  const taps = [
    ...h.taps,
    ...workers.flatMap((w) => (w.health?.taps ?? []).map((t) => ({ ...t, name: `${w.name} ${t.name}` }))),
  ];
  for (const t of taps) {
    if (t.disabled) {
      out.push({
        code: "tap-disabled",
        message: `${t.name} tap switched off: ${t.note ?? "internal error"}`,
      });
    }
  }
  return out;
}

/** `h` with `emptyReason` and `limitations` derived afresh (a copy; `h` is not changed). */
export function withHints(h: CaptureHealth): CaptureHealth {
  const out = { ...h };
  const empty = emptyReasonFor(out);
  if (empty) out.emptyReason = empty;
  else delete out.emptyReason;
  const limits = limitationsFor(out);
  if (limits.length) out.limitations = limits;
  else delete out.limitations;
  return out;
}
