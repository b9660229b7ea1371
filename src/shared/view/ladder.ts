/**
 * Layout of the ladder (sequence diagram) of one call or several merged calls. Pure: it
 * turns call summaries into lanes, arrows (one per stanza, in capture order), latency
 * brackets between a stanza and the ack or receipt answering it, and pixel geometry; the
 * panel only draws the result.
 *
 * Lanes: this device, the server, then one lane per peer device (the `to` of what this
 * device sends, the `from` of what it receives, device suffix included) in order of first
 * appearance. `<ack>` stanzas are exchanged with the server (call-signalling.md §5: the
 * server acks what this device sends; this device's acks end at the server); `<call>` and
 * `<receipt>` stanzas go to or come from the peer device they name.
 */
import { parseJid } from "../codec/jid";
import { type Confidence, reasonInfo } from "../stanza/reasons";
import type { CallSummary, TimelineEntry } from "../trace/calls";
import type { Direction } from "../trace/types";
import { timerPrecisionMs } from "./precision";
import { actionOf, keyAttributes } from "./rows";
import { type TimeCell, type TimeMode, timeCells } from "./time";

/** One vertical lane. */
export interface Lane {
  key: string;
  /** Text of the lane header (pseudonymised when asked). */
  label: string;
  kind: "self" | "server" | "peer";
  /** Tooltip: the lane's JID, when it has one and pseudonyms are off. */
  title: string;
}

/** The reason an arrow carries, explained. */
export interface ArrowReason {
  raw: string;
  meaning: string;
  confidence?: Confidence;
  parts?: string[];
}

/** One arrow: one stanza. */
export interface LadderArrow {
  seq: number;
  /** Row index (0-based, capture order). */
  index: number;
  callId: string;
  direction: Direction;
  /** Lane indexes; `from` is the sender's lane. */
  from: number;
  to: number;
  /** Chip action (`offer`, `ack`, `receipt`, …). */
  action: string;
  kind: TimelineEntry["view"]["kind"];
  /** Label on the arrow, e.g. `offer`, `ack(offer)`. */
  label: string;
  /** Key attributes, e.g. `reason=timeout`. */
  detail: string;
  stanzaId?: string;
  /** Acks and receipts are dashed. */
  dashed: boolean;
  /** For an ack or receipt: row index of the stanza it answers (when in this ladder). */
  answersIndex?: number;
  /** For a stanza that was acked: the ack latency, ms. */
  ackLatencyMs?: number;
  receiptDelayMs?: number;
  /** The ack came before the stanza it answers. */
  negative: boolean;
  time: TimeCell;
  /** The reason of the stanza that ended the call (set on that arrow only). */
  finalReason?: ArrowReason;
  /** The reason attribute of any terminate/reject arrow. */
  reason?: ArrowReason;
}

/** A latency bracket beside the ladder, from a stanza to its answer. */
export interface LatencyBracket {
  /** Row index of the answered stanza. */
  from: number;
  /** Row index of the answer (ack or receipt). */
  to: number;
  /** Column of the bracket (0 = nearest the lanes), so that overlapping brackets do not collide. */
  column: number;
  ms: number;
  negative: boolean;
  kind: "ack" | "receipt";
}

/** The laid-out ladder. */
export interface LadderLayout {
  lanes: Lane[];
  arrows: LadderArrow[];
  brackets: LatencyBracket[];
  /** How many bracket columns are used. */
  bracketColumns: number;
  /** The timer precision of the shown capture times, ms (precision.ts; absent when finer or unknown). */
  precisionMs?: number;
}

/** Options of {@link layoutLadder}. */
export interface LadderOptions {
  /** How a JID is shown (e.g. a pseudonym); default: the JID itself. */
  label?: (jid: string) => string;
  timeMode?: TimeMode;
  /** `seq` of the selected stanza (for the "delta from selected" mode). */
  selectedSeq?: number;
}

/** Explains a raw reason value: meaning, spec confidence and parts. */
export function explainReason(raw: string): ArrowReason {
  const info = reasonInfo(raw);
  if (raw === "") return { raw, meaning: 'empty reason="" (SIG-14 forbids it)' };
  if (!info) return { raw, meaning: "unknown reason (not in the wacrg vocabulary)", confidence: "unknown" };
  return { raw, meaning: info.meaning, confidence: info.confidence, parts: info.parts };
}

function laneFor(
  e: TimelineEntry,
  lanes: Lane[],
  index: Map<string, number>,
  label: (jid: string) => string,
): number {
  const v = e.view;
  if (v.kind === "ack" || v.kind === "other") return 1;
  const other = e.stanza.direction === "out" ? v.to : v.from;
  if (other === undefined) return 1;
  const jid = parseJid(other);
  if (jid && (jid.user === "" || jid.server === "call")) return 1;
  const key = jid ? `${jid.user}${jid.device ? `:${jid.device}` : ""}@${jid.server}` : other;
  let i = index.get(key);
  if (i === undefined) {
    i = lanes.length;
    index.set(key, i);
    const text = label(other);
    lanes.push({ key, label: text, kind: "peer", title: text === other ? other : "" });
  }
  return i;
}

/**
 * Lays out the ladder of one or more calls (merged in capture order).
 * @param calls the calls to draw; their entries are merged by `seq`.
 */
export function layoutLadder(calls: readonly CallSummary[], options: LadderOptions = {}): LadderLayout {
  const label = options.label ?? ((j: string) => j);
  const lanes: Lane[] = [
    { key: "self", label: "this device", kind: "self", title: "" },
    { key: "server", label: "server", kind: "server", title: "WhatsApp server (acks, relaying)" },
  ];
  const laneIndex = new Map<string, number>();
  const merged: { e: TimelineEntry; call: CallSummary }[] = [];
  for (const c of calls) for (const e of c.entries) merged.push({ e, call: c });
  if (calls.length > 1) merged.sort((a, b) => a.e.stanza.seq - b.e.stanza.seq);

  // The arrow that ended each call: its last terminate/reject.
  const finalSeq = new Set<number>();
  for (const c of calls) {
    for (let i = c.entries.length - 1; i >= 0; i--) {
      const v = c.entries[i].view;
      if (v.kind === "call" && (v.action === "terminate" || v.action === "reject")) {
        finalSeq.add(c.entries[i].stanza.seq);
        break;
      }
    }
  }

  const times = merged.map((m) => m.e.stanza.t);
  const precisionMs = timerPrecisionMs(times);
  const offer = merged.find(
    (m) => m.e.view.kind === "call" && (m.e.view.action === "offer" || m.e.view.action === "offer_notice"),
  );
  const selected = merged.find((m) => m.e.stanza.seq === options.selectedSeq);
  const cells = timeCells(times, options.timeMode ?? "offer", {
    offerT: (offer ?? merged[0])?.e.stanza.t ?? 0,
    selectedT: selected?.e.stanza.t,
    precisionMs,
  });

  const rowOfSeq = new Map<number, number>();
  merged.forEach((m, i) => {
    rowOfSeq.set(m.e.stanza.seq, i);
  });
  const arrows: LadderArrow[] = merged.map(({ e, call }, index) => {
    const v = e.view;
    const lane = laneFor(e, lanes, laneIndex, label);
    const out = e.stanza.direction === "out";
    const arrow: LadderArrow = {
      seq: e.stanza.seq,
      index,
      callId: call.callId,
      direction: e.stanza.direction,
      from: out ? 0 : lane,
      to: out ? lane : 0,
      action: actionOf(v),
      kind: v.kind,
      label:
        v.kind === "ack"
          ? `ack${v.type ? `(${v.type})` : ""}`
          : v.kind === "receipt"
            ? `receipt${v.child ? `(${v.child})` : ""}`
            : actionOf(v),
      detail: keyAttributes(v),
      dashed: v.kind === "ack" || v.kind === "receipt",
      negative: e.negative === true,
      time: cells[index],
    };
    if (v.kind !== "other" && v.id) arrow.stanzaId = v.id;
    if (e.answersSeq !== undefined) {
      const a = rowOfSeq.get(e.answersSeq);
      if (a !== undefined) arrow.answersIndex = a;
    }
    if (e.ackLatencyMs !== undefined) arrow.ackLatencyMs = e.ackLatencyMs;
    if (e.receiptDelayMs !== undefined) arrow.receiptDelayMs = e.receiptDelayMs;
    if (v.kind === "call" && v.reason !== undefined) arrow.reason = explainReason(v.reason);
    if (finalSeq.has(e.stanza.seq) && v.kind === "call") {
      arrow.finalReason =
        v.reason !== undefined ? explainReason(v.reason) : { raw: "", meaning: "no reason given" };
    }
    return arrow;
  });

  // Brackets: each answer to its stanza; greedy columns so overlapping spans sit side by side.
  const spans: LatencyBracket[] = [];
  for (const a of arrows) {
    if (a.answersIndex === undefined) continue;
    const target = arrows[a.answersIndex];
    spans.push({
      from: a.answersIndex,
      to: a.index,
      column: 0,
      ms: a.kind === "ack" ? (target.ackLatencyMs ?? 0) : (target.receiptDelayMs ?? 0),
      negative: a.index < a.answersIndex || a.negative,
      kind: a.kind === "ack" ? "ack" : "receipt",
    });
  }
  spans.sort((x, y) => Math.min(x.from, x.to) - Math.min(y.from, y.to));
  const columnEnds: number[] = [];
  for (const s of spans) {
    const lo = Math.min(s.from, s.to);
    const hi = Math.max(s.from, s.to);
    let col = columnEnds.findIndex((end) => end < lo);
    if (col < 0) {
      col = columnEnds.length;
      columnEnds.push(hi);
    } else columnEnds[col] = hi;
    s.column = col;
  }
  const layout: LadderLayout = { lanes, arrows, brackets: spans, bracketColumns: columnEnds.length };
  if (precisionMs !== undefined) layout.precisionMs = precisionMs;
  return layout;
}

/** Pixel geometry of a laid-out ladder. */
export interface LadderGeometry {
  width: number;
  height: number;
  headerHeight: number;
  rowHeight: number;
  timeWidth: number;
  laneWidth: number;
  bracketWidth: number;
  /** x of a lane's centre line. */
  laneX(lane: number): number;
  /** y of a row's arrow. */
  rowY(index: number): number;
  /** x of a bracket column. */
  bracketX(column: number): number;
}

/** Sizes used by {@link ladderGeometry}. */
export interface GeometryOptions {
  rowHeight?: number;
  laneWidth?: number;
  timeWidth?: number;
  headerHeight?: number;
  bracketWidth?: number;
}

/** Extra height of a row whose arrow carries a reason line, px. */
export const REASON_LINE_HEIGHT = 14;

/**
 * Computes pixel positions for a layout: the time column, then the latency brackets (so
 * they stay in view next to the times), then equal-width lanes. Rows have a fixed height,
 * plus {@link REASON_LINE_HEIGHT} when the arrow carries a reason line.
 */
export function ladderGeometry(layout: LadderLayout, o: GeometryOptions = {}): LadderGeometry {
  const rowHeight = o.rowHeight ?? 30;
  const laneWidth = o.laneWidth ?? 140;
  const timeWidth = o.timeWidth ?? 96;
  const headerHeight = o.headerHeight ?? 28;
  const bracketWidth = o.bracketWidth ?? 52;
  const bracketsWidth = layout.bracketColumns * bracketWidth;
  const lanesLeft = timeWidth + bracketsWidth;
  const tops: number[] = [];
  let y = headerHeight;
  for (const a of layout.arrows) {
    tops.push(y);
    y += rowHeight + (a.reason || a.finalReason ? REASON_LINE_HEIGHT : 0);
  }
  return {
    width: lanesLeft + layout.lanes.length * laneWidth + 8,
    height: Math.max(y, headerHeight + rowHeight) + 8,
    headerHeight,
    rowHeight,
    timeWidth,
    laneWidth,
    bracketWidth,
    laneX: (lane) => lanesLeft + lane * laneWidth + laneWidth / 2,
    rowY: (index) => (tops[index] ?? headerHeight + index * rowHeight) + rowHeight / 2 + 4,
    bracketX: (column) => timeWidth + bracketsWidth - 6 - column * bracketWidth,
  };
}
