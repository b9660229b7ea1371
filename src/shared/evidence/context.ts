/**
 * What evidence functions read: every stanza of every loaded trace with its typed view, the
 * call it belongs to, and helpers for roles, node content and timings.
 */
import { base64ToBytes } from "../codec/bytetext";
import { parseJid } from "../codec/jid";
import { getChildByTag, getChildren, isPortableBytes } from "../codec/node";
import { type StanzaView, viewStanza } from "../stanza/view";
import type { CallSummary } from "../trace/calls";
import type { CapturedStanza, PortableNode } from "../trace/types";
import { analyzeTrace, type LatencyQuality, type TraceAnalysis } from "../tracefile/analyze";
import type { TraceFile } from "../tracefile/types";

/** One readable stanza in context. */
export interface Item {
  stanza: CapturedStanza;
  node: PortableNode;
  view: StanzaView;
  /** Index of the trace in the context. */
  trace: number;
  /** The call it belongs to, if any. */
  call?: CallCtx;
}

/** One call in context. */
export interface CallCtx {
  summary: CallSummary;
  trace: number;
  quality: LatencyQuality;
  /** The call's readable stanzas, in capture order. */
  items: Item[];
}

/** Everything the evidence functions see. */
export interface EvidenceContext {
  traces: TraceFile[];
  analyses: TraceAnalysis[];
  /** Every readable stanza of every trace, trace by trace, in capture order. */
  items: Item[];
  calls: CallCtx[];
  /** User parts (no device) this device is known by, per trace. */
  selfUsers: Set<string>[];
}

const userOf = (jid: string | undefined): string | undefined => (jid ? parseJid(jid)?.user : undefined);

/** Builds the context of a set of traces (each analysed with `analyzeTrace`). */
export function buildContext(traces: readonly TraceFile[]): EvidenceContext {
  const ctx: EvidenceContext = { traces: [...traces], analyses: [], items: [], calls: [], selfUsers: [] };
  traces.forEach((trace, ti) => {
    const analysis = analyzeTrace(trace);
    ctx.analyses.push(analysis);
    const bySeq = new Map<number, Item>();
    for (const stanza of [...trace.stanzas].sort((a, b) => a.seq - b.seq)) {
      if (!stanza.node) continue;
      const item: Item = { stanza, node: stanza.node, view: viewStanza(stanza.node), trace: ti };
      bySeq.set(stanza.seq, item);
      ctx.items.push(item);
    }
    for (const summary of analysis.index.calls) {
      const call: CallCtx = { summary, trace: ti, quality: analysis.latency, items: [] };
      for (const e of summary.entries) {
        const it = bySeq.get(e.stanza.seq);
        if (it) {
          it.call = call;
          call.items.push(it);
        }
      }
      ctx.calls.push(call);
    }
    const self = new Set<string>();
    for (const it of bySeq.values()) {
      const v = it.view;
      const out = it.stanza.direction === "out";
      if (v.kind === "call" && out && (v.action === "offer" || v.action === "offer_notice")) {
        const u = userOf(v.callCreator);
        if (u) self.add(u);
      }
      if (v.kind === "receipt" && out) {
        const u = userOf(v.from);
        if (u) self.add(u);
      }
      if (!out && v.kind !== "other") {
        const u = userOf(v.to);
        if (u) self.add(u);
      }
    }
    ctx.selfUsers.push(self);
  });
  return ctx;
}

/**
 * Who a JID is, relative to a call, without naming it: `absent`, `server` (no user part),
 * `this user` / `peer` / `other party`, with ` device` when the JID has a `:device` suffix.
 */
export function roleOf(jid: string | undefined, ctx: EvidenceContext, item: Item): string {
  if (jid === undefined) return "absent";
  const j = parseJid(jid);
  if (!j) return "not a JID";
  if (j.user === "") return `server (${j.server})`;
  const device = j.device !== undefined && j.device !== 0 ? " device" : "";
  const peer = userOf(item.call?.summary.peer);
  const creator = userOf(item.call?.summary.callCreator);
  let who = "other party";
  if (ctx.selfUsers[item.trace]?.has(j.user)) who = "this user";
  else if (peer !== undefined && j.user === peer) who = "peer";
  else if (creator !== undefined && j.user === creator) who = "peer";
  return `${who}${device} @${j.server}`;
}

/** Child nodes of a node ({@link getChildren}; none for an absent node). */
export const kids = (n: PortableNode | undefined): PortableNode[] => (n ? getChildren(n) : []);

/** First child with `tag` ({@link getChildByTag}; none for an absent node). */
export const kid = (n: PortableNode | undefined, tag: string): PortableNode | undefined =>
  n ? getChildByTag(n, tag) : undefined;

/** Content length in bytes (original length for placeholders and truncated copies; text as UTF-8). */
export function byteLength(n: PortableNode): number | undefined {
  const c = n.content;
  if (isPortableBytes(c)) return c.truncatedFrom ?? base64ToBytes(c.b64).length;
  if (typeof c === "string") return new TextEncoder().encode(c).length;
  return undefined;
}

/** The content bytes when they are all there (not redacted, omitted or truncated). */
export function realBytes(n: PortableNode): Uint8Array | undefined {
  const c = n.content;
  if (isPortableBytes(c)) return c.truncatedFrom === undefined ? base64ToBytes(c.b64) : undefined;
  if (typeof c === "string") return new TextEncoder().encode(c);
  return undefined;
}

/** The action child of a `<call>` item. */
export const actionOf = (it: Item): PortableNode | undefined =>
  it.view.kind === "call" ? (it.view.actionNode as PortableNode | undefined) : undefined;

/** Whether the item is a `<call>` with this action. */
export const isAction = (it: Item, ...actions: string[]): boolean =>
  it.view.kind === "call" && actions.includes(it.view.action);
