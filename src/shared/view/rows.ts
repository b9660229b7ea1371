/**
 * One flat row per captured stanza: what the stanza table, the filter and match navigation
 * read. Built once per stanza (cheap: no XML rendering); the search text is built lazily.
 */
import { type StanzaView, stanzaLabel, viewStanza } from "../stanza/view";
import type { CapturedStanza, Direction, PortableNode } from "../trace/types";

/** The kind of a row: a stanza's typed view kind, or `unreadable` for a capture error. */
export type RowKind = StanzaView["kind"] | "unreadable";

/** A captured stanza as one table row. */
export interface StanzaRow {
  seq: number;
  t: number;
  direction: Direction;
  kind: RowKind;
  /**
   * What the filter chips name: the call action (`offer`, `terminate`, …), `ack`, `receipt`,
   * another tag, or `unreadable`.
   */
  action: string;
  /** Short label, e.g. `offer`, `ack(offer)`, `receipt(offer)`. */
  label: string;
  /** The stanza `id` attribute. */
  stanzaId?: string;
  /** The call the stanza belongs to (set by the session index once known). */
  callId?: string;
  from?: string;
  to?: string;
  /** Key attributes as short text, e.g. `reason=timeout`, `media=video`. */
  detail: string;
  /** Only the page's codec tap saw it: not confirmed on the wire (see {@link isUnconfirmed}). */
  unconfirmed?: boolean;
  stanza: CapturedStanza;
  /** Lazily built, lowercased search text (see {@link searchText}). */
  search?: string;
}

/** Key attributes of a typed view, as short `k=v` text for labels. */
export function keyAttributes(view: StanzaView): string {
  const parts: string[] = [];
  if (view.kind === "call") {
    if (view.media && (view.action === "offer" || view.action === "offer_notice")) parts.push(view.media);
    if (view.reason !== undefined) parts.push(`reason=${view.reason === "" ? '""' : view.reason}`);
    if (view.durationS !== undefined) parts.push(`duration=${view.durationS}s`);
    if (view.relayRttMs !== undefined) parts.push(`rtt=${view.relayRttMs}ms`);
    if (view.muteState !== undefined) parts.push(`mute-state=${view.muteState}`);
    if (view.videoState !== undefined) parts.push(`state=${view.videoState}`);
    const a = view.actionNode?.attrs;
    if (view.action === "transport" && a?.["transport-message-type"])
      parts.push(`type=${a["transport-message-type"]}`);
    if (view.action === "reject" && a?.count !== undefined) parts.push(`count=${a.count}`);
    if (!view.known) parts.push("unknown action");
  } else if (view.kind === "ack") {
    if (view.error) parts.push(`error=${view.error}`);
  }
  return parts.join(" ");
}

/** Action name of a typed view, as the filter chips use it. */
export function actionOf(view: StanzaView): string {
  switch (view.kind) {
    case "call":
      return view.action;
    case "ack":
      return "ack";
    case "receipt":
      return "receipt";
    default:
      return view.tag;
  }
}

/**
 * Whether only the page's codec tap saw a stanza. The codec also runs on things that never cross
 * the wire (the VoIP engine's echoes and payloads, wa-web-2026.md §1); the tap removes the ones
 * it can recognise, but a stanza no transport or comms-config tap (page or worker) confirmed is
 * not proven to be wire traffic, so the panel marks it. Stanzas of older traces without `seenBy`
 * count as seen by their `tap` alone.
 */
export function isUnconfirmed(stanza: Pick<CapturedStanza, "tap" | "seenBy">): boolean {
  const seenBy = stanza.seenBy ?? [stanza.tap];
  return seenBy.length > 0 && seenBy.every((t) => t === "codec");
}

/** Builds the row of one captured stanza (the typed view is returned beside it, not kept). */
export function toRow(stanza: CapturedStanza): StanzaRow {
  return toRowAndView(stanza).row;
}

/** Builds the row of one captured stanza and its typed view. */
export function toRowAndView(stanza: CapturedStanza): { row: StanzaRow; view?: StanzaView } {
  if (!stanza.node) {
    const row: StanzaRow = {
      seq: stanza.seq,
      t: stanza.t,
      direction: stanza.direction,
      kind: "unreadable",
      action: "unreadable",
      label: "unreadable",
      detail: stanza.error?.message ?? "",
      stanza,
    };
    if (isUnconfirmed(stanza)) row.unconfirmed = true;
    return { row };
  }
  const view = viewStanza(stanza.node);
  const row: StanzaRow = {
    seq: stanza.seq,
    t: stanza.t,
    direction: stanza.direction,
    kind: view.kind,
    action: actionOf(view),
    label: stanzaLabel(view),
    detail: keyAttributes(view),
    stanza,
  };
  if (isUnconfirmed(stanza)) row.unconfirmed = true;
  if (view.kind !== "other") {
    row.stanzaId = view.id;
    row.from = view.from;
    row.to = view.to;
    if ((view.kind === "call" || view.kind === "receipt") && view.callId) row.callId = view.callId;
  }
  return { row, view };
}

function appendNode(node: PortableNode, depth: number): string {
  let s = `<${node.tag}`;
  for (const k in node.attrs) s += ` ${k}="${node.attrs[k]}"`;
  s += ">";
  const c = node.content;
  if (typeof c === "string") s += c;
  else if (Array.isArray(c) && depth < 6) for (const child of c) s += appendNode(child, depth + 1);
  return s;
}

/**
 * The text free-text and regex filters match, lowercased: direction, label, key attributes
 * and the stanza as one-line pseudo-XML (tags and attributes; bytes left out). Built once
 * and cached on the row; regexes are matched case-insensitively against it.
 */
export function searchText(row: StanzaRow): string {
  if (row.search !== undefined) return row.search;
  let s = `${row.direction === "out" ? "sent " : "received "}${row.label} ${row.detail} `;
  if (row.unconfirmed) s += "unconfirmed ";
  if (row.stanza.node) s += appendNode(row.stanza.node, 0);
  else if (row.stanza.error) s += row.stanza.error.message;
  row.search = s.toLowerCase();
  return row.search;
}
