/**
 * Derived capture-health hints: why nothing was captured (`emptyReason`) and what the current
 * mode cannot see (`limitations`). Computed by the tap before it sends health; pure, so the
 * panel can recompute them for older health records.
 */
import type { CaptureHealth, CaptureLimitation, EmptyReason } from "../trace/types";

/** Total stanzas seen (every tag; the per-tag maximum over taps). */
export function totalSeen(h: CaptureHealth): number {
  let n = 0;
  for (const v of Object.values(h.seenByTag)) n += v;
  return n;
}

/**
 * Why no call stanza was captured, or `undefined` once one was forwarded.
 * @param deepCapture whether taps run inside the comms worker (not built yet: always false).
 */
export function emptyReasonFor(h: CaptureHealth, deepCapture = false): EmptyReason | undefined {
  if (h.forwarded > 0) return undefined;
  const seen = totalSeen(h);
  const disabled = h.taps.filter((t) => t.disabled);
  const working = h.taps.filter((t) => t.installed && !t.disabled);
  if (disabled.length > 0 && working.length === 0) {
    const why = h.lastError ? `: ${h.lastError.message}` : "";
    return {
      code: "taps-disabled",
      message: `every tap was switched off after an internal error (${disabled.map((t) => t.name).join(", ")})${why}`,
    };
  }
  if (h.commsMode === "worker" && !deepCapture) {
    return {
      code: "worker-comms",
      message: `comms run in a worker: enable deep capture (${seen} stanzas seen on the page, none were call stanzas)`,
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
  if (!moduleTap && !traffic) {
    const more = transport?.installed
      ? "; no chat-socket traffic on this page either (comms may run in a worker: enable deep capture)"
      : "";
    return { code: "no-tap", message: `tap not installed: no stanza codec module found${more}` };
  }
  if (seen === 0) return { code: "nothing-seen", message: "tap installed; no stanza seen yet" };
  return { code: "no-call-stanzas", message: `${seen} stanzas seen, none were call stanzas` };
}

/** Known gaps of the current capture, shown even when calls were captured. */
export function limitationsFor(h: CaptureHealth, deepCapture = false): CaptureLimitation[] {
  const out: CaptureLimitation[] = [];
  if (h.commsMode === "worker" && !deepCapture) {
    out.push({
      code: "worker-acks-hidden",
      message:
        "comms run in a worker: acks, iq results and pings of the worker's own traffic are not visible, and ack latencies of the page's call stanzas include the page↔worker hops; enable deep capture",
    });
  }
  const unknown = h.dictionary?.unknownVersions ?? [];
  if (unknown.length > 0) {
    out.push({
      code: "dictionary-unknown",
      message: `frames using token dictionary v${unknown.join(", v")} are counted but not decoded`,
    });
  }
  for (const t of h.taps) {
    if (t.disabled) {
      out.push({
        code: "tap-disabled",
        message: `${t.name} tap switched off: ${t.note ?? "internal error"}`,
      });
    }
  }
  return out;
}
