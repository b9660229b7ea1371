/**
 * The compatibility report (pure): the extension's rows and calls compared with the simulator
 * server's record of the wire, phantom rows, taps, modules found by shape, footprint counters,
 * and the plan of what was loaded. Plain text or JSON.
 */
import { buildCalls } from "../../src/shared/trace/calls";
import type { CapturedStanza, CaptureHealth, Direction, PortableNode } from "../../src/shared/trace/types";
import type { LoadPlan } from "./plan";

/**
 * One stanza the simulator's server sent or received (sim/server.mjs `log`; sim/README.md):
 * `dir` is the SERVER's view (`in` = received from the page).
 */
export interface WireEntry {
  /** Epoch ms at the server. */
  t: number;
  dir: "in" | "out";
  session?: string;
  role?: string;
  tag: string;
  id?: string;
  callId?: string;
  /** The call action, or an ack's `type`. */
  action?: string;
  class?: string;
  type?: string;
  reason?: string;
  [k: string]: unknown;
}

/** The key that pairs a row with a wire entry: the device's direction, tag, id, and the call action or ack class. */
export type WireKey = string;

function str(v: unknown): string {
  return v == null ? "" : String(v);
}

/** The wire key of a server log entry (its direction turned to the device's view). */
export function wireKeyOfEntry(e: WireEntry): WireKey {
  const dir: Direction = e.dir === "in" ? "out" : "in";
  const detail = e.tag === "call" ? str(e.action) : e.tag === "ack" ? str(e.class) : "";
  return [dir, e.tag, str(e.id), detail].join("|");
}

/** The wire key of a row the extension stored. */
export function wireKeyOfRow(s: CapturedStanza): WireKey {
  const n = s.node;
  if (!n) return [s.direction, "?", "", ""].join("|");
  const first = Array.isArray(n.content) ? (n.content[0] as PortableNode | undefined) : undefined;
  const detail = n.tag === "call" ? str(first?.tag) : n.tag === "ack" ? str(n.attrs.class) : "";
  return [s.direction, n.tag, str(n.attrs.id), detail].join("|");
}

/**
 * Whether the extension is expected to show a wire entry as a row: every `<call>`, every
 * `<ack class="call">`, and every `<receipt>` of a call (its id is a call stanza's, or it carries
 * an `<offer>`; the server gives both a `callId`).
 */
export function isCallWire(e: WireEntry): boolean {
  if (e.tag === "call") return true;
  if (e.tag === "ack") return e.class === "call";
  if (e.tag === "receipt") return e.callId != null;
  return false;
}

/** A row that matches no wire entry. */
export interface Phantom {
  seq: number;
  key: WireKey;
  /** The taps that saw it. */
  seenBy: string[];
  /** `no wire entry` or `more rows than wire entries` (a duplicate). */
  why: string;
}

/** Rows paired with the wire. */
export interface RowComparison {
  rows: number;
  wireCallStanzas: number;
  matched: number;
  phantoms: Phantom[];
  /** Call-related wire entries no row shows. */
  missing: Array<{ key: WireKey; callId?: string }>;
  /** Rows by the taps that saw them (e.g. `codec+transport`). */
  byTaps: Record<string, number>;
}

/**
 * Pairs every row with one wire entry of the same key (a multiset match). A row with nothing left
 * to pair is a phantom: it claims a stanza crossed the wire that did not (or crossed fewer times).
 */
export function compareRows(rows: readonly CapturedStanza[], wire: readonly WireEntry[]): RowComparison {
  const pool = new Map<WireKey, number>();
  const allKeys = new Set<WireKey>();
  for (const e of wire) {
    const k = wireKeyOfEntry(e);
    pool.set(k, (pool.get(k) ?? 0) + 1);
    allKeys.add(k);
  }
  const out: RowComparison = {
    rows: rows.length,
    wireCallStanzas: wire.filter(isCallWire).length,
    matched: 0,
    phantoms: [],
    missing: [],
    byTaps: {},
  };
  for (const s of [...rows].sort((a, b) => a.seq - b.seq)) {
    const seenBy = s.seenBy ?? [s.tap];
    const taps = [...seenBy].sort().join("+");
    out.byTaps[taps] = (out.byTaps[taps] ?? 0) + 1;
    const k = wireKeyOfRow(s);
    const left = pool.get(k) ?? 0;
    if (left > 0) {
      pool.set(k, left - 1);
      out.matched++;
    } else {
      out.phantoms.push({
        seq: s.seq,
        key: k,
        seenBy,
        why: allKeys.has(k) ? "more rows than wire entries" : "no wire entry",
      });
    }
  }
  const unmatched = new Map(pool);
  for (const e of wire) {
    if (!isCallWire(e)) continue;
    const k = wireKeyOfEntry(e);
    const left = unmatched.get(k) ?? 0;
    if (left > 0) {
      unmatched.set(k, left - 1);
      out.missing.push({ key: k, callId: e.callId });
    }
  }
  return out;
}

/** One `<call>` action's ack latency, as the extension shows it and as the server's wire record gives it. */
export interface AckLatency {
  action: string;
  /** `out`: the page sent the `<call>` and the server acked it; `in`: the reverse. */
  direction: Direction;
  id: string;
  extensionMs?: number;
  wireMs?: number;
  /** extension − wire, ms. */
  deltaMs?: number;
}

/** One scripted call. */
export interface CallReport {
  scenario: string;
  callId: string;
  /** The extension has a call with this id. */
  captured: boolean;
  state?: string;
  reason?: string;
  /** The reason on the wire (the terminate or reject that carried one). */
  wireReason?: string;
  acks: AckLatency[];
}

/** Ack latencies from the wire: for each `<call>` entry, the ack of the same id in the other direction. */
export function wireAckLatencies(wire: readonly WireEntry[], callId: string): AckLatency[] {
  const out: AckLatency[] = [];
  for (const e of wire) {
    if (e.tag !== "call" || e.callId !== callId || e.id == null) continue;
    const ack = wire.find((a) => a.tag === "ack" && a.id === e.id && a.dir !== e.dir && a.t >= e.t);
    out.push({
      action: str(e.action),
      direction: e.dir === "in" ? "out" : "in",
      id: e.id,
      wireMs: ack ? ack.t - e.t : undefined,
    });
  }
  return out;
}

/** The scripted calls as the extension shows them, beside the wire. */
export function compareCalls(
  scenarios: ReadonlyArray<{ name: string; callId: string }>,
  rows: readonly CapturedStanza[],
  wire: readonly WireEntry[],
): CallReport[] {
  const calls = buildCalls(rows).calls;
  return scenarios.map((s) => {
    const c = calls.find((x) => x.callId === s.callId);
    const acks = wireAckLatencies(wire, s.callId);
    for (const a of acks) {
      const entry = c?.entries.find(
        (e) =>
          e.stanza.node?.tag === "call" &&
          e.stanza.direction === a.direction &&
          e.stanza.node.attrs.id === a.id,
      );
      if (entry?.ackLatencyMs !== undefined) {
        a.extensionMs = entry.ackLatencyMs;
        if (a.wireMs !== undefined) a.deltaMs = entry.ackLatencyMs - a.wireMs;
      }
    }
    const wireReason = wire.find(
      (e) => e.callId === s.callId && e.tag === "call" && e.reason != null,
    )?.reason;
    return {
      scenario: s.name,
      callId: s.callId,
      captured: c !== undefined,
      state: c?.state,
      reason: c?.reason,
      wireReason,
      acks,
    };
  });
}

/** The whole report. */
export interface CompatReport {
  ok: boolean;
  /** Why `ok` is false. */
  failures: string[];
  query: string;
  build?: string;
  connected: boolean;
  loaded: {
    real: string[];
    /** The loaded modules whose factory ran in the page. */
    ran: string[];
    stubs: Array<{ name: string; kind: string; why: string }>;
    bridges: Array<{ name: string; why: string }>;
    simulator: string[];
    /** Roots the dump does not hold (the simulator's look-alike stays). */
    absentRoots: string[];
    placeholders: string[];
    conflicts: LoadPlan["conflicts"];
    babelHelpersMissing: string[];
    probes: Record<string, boolean>;
    dupCount?: number;
  };
  /** What the extension recognised (capture health). */
  shape: {
    modules?: CaptureHealth["modules"];
    commsMode?: CaptureHealth["commsMode"];
    commsEvidence?: string[];
    dictionary?: CaptureHealth["dictionary"];
    codecEchoes?: Record<string, number>;
    codecPayloads?: Record<string, number>;
    codecOnly?: number;
    limitations?: string[];
    /** The transport tap's counters: chat sockets, Noise keys and sessions it matched, frames. */
    transport?: CaptureHealth["transport"];
    /** What each tap hooked, in its own words (e.g. "wrapped WAWap"). */
    recognised: string[];
  };
  taps: Array<{
    name: string;
    installed: boolean;
    live: boolean;
    seen?: number;
    note?: string;
    disabled?: boolean;
  }>;
  calls: CallReport[];
  rows: RowComparison;
  footprint?: Record<string, unknown>;
  /** The same counters from a run without the extension (`--baseline`), and the counters that differ. */
  baseline?: { footprint?: Record<string, unknown>; differs: string[] };
  pageErrors: string[];
}

/** Inputs of {@link buildReport}. */
export interface ReportInput {
  plan: LoadPlan;
  stubInfo: (name: string) => { kind: string; why: string } | undefined;
  bridgeWhy: Readonly<Record<string, { why: string }>>;
  babelHelpersMissing: string[];
  query: string;
  connected: boolean;
  failure?: string;
  scenarios: ReadonlyArray<{ name: string; callId: string }>;
  rows: readonly CapturedStanza[];
  health?: CaptureHealth;
  wire: readonly WireEntry[];
  footprint?: Record<string, unknown>;
  /** `__sim.footprint()` of a run without the extension, when one was made. */
  baselineFootprint?: Record<string, unknown>;
  /** How many times the early bundle was served with the modules (0: the page never loaded them). */
  served?: number;
  /** A baseline run was made (its page may lack `__sim.footprint()`). */
  baselineRun?: boolean;
  modulesRan: string[];
  probes: Record<string, boolean>;
  dupCount?: number;
  pageErrors: string[];
  build?: string;
  /** Dump modules the check must load (a failure when absent). */
  requiredRoots?: readonly string[];
  /** Scenario names the simulator plays (a flow is missing when one of them has no call). */
  expectedScenarios: readonly string[];
}

/** Builds the report; `ok` is false when the page did not connect, a flow is missing, or a row is a phantom. */
export function buildReport(input: ReportInput): CompatReport {
  const rows = compareRows(input.rows, input.wire);
  const calls = compareCalls(input.scenarios, input.rows, input.wire);
  const failures: string[] = [];
  if (input.failure) failures.push(input.failure);
  if (input.served === 0)
    failures.push(`WhatsApp's modules were never served (no request for the early bundle)`);
  if (!input.connected) failures.push("the page did not connect with WhatsApp's modules");
  if (input.plan.absentRoots.length === 0) {
    for (const [probe, ok] of Object.entries(input.probes))
      if (!ok) failures.push(`not WhatsApp's: ${probe}`);
  }
  for (const name of input.expectedScenarios) {
    const c = calls.find((x) => x.scenario === name);
    if (!c) failures.push(`flow ${name} did not run`);
    else if (!c.captured) failures.push(`flow ${name} (call ${c.callId}) is not in the extension`);
  }
  if (rows.phantoms.length > 0) failures.push(`${rows.phantoms.length} phantom row(s)`);
  const baseline = input.baselineRun
    ? { footprint: input.baselineFootprint, differs: footprintDiff(input.footprint, input.baselineFootprint) }
    : undefined;
  if (baseline && baseline.differs.length > 0)
    failures.push(`footprint differs from the run without the extension: ${baseline.differs.join(", ")}`);
  if (input.plan.conflicts.length > 0) failures.push(`${input.plan.conflicts.length} module conflict(s)`);
  for (const name of input.requiredRoots ?? []) {
    if (input.plan.absentRoots.includes(name)) failures.push(`${name} is not in the dump`);
  }
  const h = input.health;
  return {
    ok: failures.length === 0,
    failures,
    query: input.query,
    build: input.build ?? h?.build,
    connected: input.connected,
    loaded: {
      real: input.plan.real,
      ran: input.modulesRan,
      stubs: [...input.plan.stubbed, ...input.plan.placeholders].map((name) => {
        const info = input.stubInfo(name) ?? { kind: "placeholder", why: "not in the dump: an empty module" };
        return { name, kind: info.kind, why: info.why };
      }),
      bridges: input.plan.bridges.map((name) => ({ name, why: input.bridgeWhy[name]?.why ?? "" })),
      simulator: input.plan.simulator.filter((n) => !input.plan.bridges.includes(n)),
      absentRoots: input.plan.absentRoots,
      placeholders: input.plan.placeholders,
      conflicts: input.plan.conflicts,
      babelHelpersMissing: input.babelHelpersMissing,
      probes: input.probes,
      dupCount: input.dupCount,
    },
    shape: {
      modules: h?.modules,
      commsMode: h?.commsMode,
      commsEvidence: h?.commsEvidence,
      dictionary: h?.dictionary,
      codecEchoes: h?.codecEchoes,
      codecPayloads: h?.codecPayloads,
      codecOnly: h?.codecOnly,
      limitations: h?.limitations?.map((l) => `${l.code}: ${l.message}`),
      transport: h?.transport,
      recognised: recognisedBy(h),
    },
    taps: (h?.taps ?? []).map((t) => ({
      name: t.name,
      installed: t.installed,
      live: t.live,
      seen: t.seen,
      note: t.note,
      disabled: t.disabled,
    })),
    calls,
    rows,
    footprint: input.footprint,
    baseline,
    pageErrors: input.pageErrors,
  };
}

/**
 * The footprint counters whose values differ between a run with the extension and one without
 * (compared as JSON; stacks and lists count as their content).
 */
export function footprintDiff(
  withExtension: Record<string, unknown> | undefined,
  without: Record<string, unknown> | undefined,
): string[] {
  if (!withExtension || !without) return [];
  const keys = [...new Set([...Object.keys(withExtension), ...Object.keys(without)])];
  return keys.filter((k) => JSON.stringify(withExtension[k]) !== JSON.stringify(without[k]));
}

/**
 * How far the extension's ack latency of a `<call>` the page sent may be from the server's own
 * delay (the issue's ±20 ms): the extension measures at the page, so it adds the transit.
 */
export const ACK_TOLERANCE_MS = 20;

/** Whether an ack latency is outside {@link ACK_TOLERANCE_MS} (only for `<call>`s the page sent). */
export function latencyOutOfTolerance(a: AckLatency): boolean {
  return a.direction === "out" && a.deltaMs !== undefined && Math.abs(a.deltaMs) > ACK_TOLERANCE_MS;
}

/** What the extension found in the page, from its capture health: each installed tap's hook, and the dictionary's source. */
export function recognisedBy(h: CaptureHealth | undefined): string[] {
  if (!h) return [];
  const out = h.taps.filter((t) => t.installed && t.note).map((t) => `${t.name}: ${t.note}`);
  if (h.dictionary?.source === "page") out.push(`dictionary: ${h.dictionary.note ?? "the page's tables"}`);
  return out;
}

const ms = (v: number | undefined) => (v === undefined ? "—" : `${v.toFixed(1)} ms`);

/** The report as plain text (what `npm run check:wa-build` prints). */
export function formatReport(r: CompatReport): string {
  const L: string[] = [];
  L.push(`WA build compatibility check: ${r.ok ? "PASS" : "FAIL"}`);
  L.push(
    `page: https://web.whatsapp.com/${r.query}  build ${r.build ?? "?"}  connected: ${r.connected ? "yes" : "no"}`,
  );
  for (const f of r.failures) L.push(`  ✗ ${f}`);
  L.push("");
  L.push(
    `WhatsApp's own modules loaded: ${r.loaded.real.length} (factories run in the page: ${r.loaded.ran.length})`,
  );
  L.push(`  ${r.loaded.real.join(", ")}`);
  if (r.loaded.dupCount !== undefined)
    L.push(`  simulator look-alike definitions ignored by the runtime: ${r.loaded.dupCount}`);
  for (const [probe, v] of Object.entries(r.loaded.probes)) L.push(`  ${v ? "✓" : "✗"} ${probe}`);
  L.push(`Our environment stubs (${r.loaded.stubs.length}):`);
  for (const s of r.loaded.stubs) L.push(`  - ${s.name} [${s.kind}]: ${s.why}`);
  L.push(`Our bridges (${r.loaded.bridges.length}):`);
  for (const b of r.loaded.bridges) L.push(`  - ${b.name}: ${b.why}`);
  if (r.loaded.simulator.length)
    L.push(`Simulator look-alikes the bridges use: ${r.loaded.simulator.join(", ")}`);
  if (r.loaded.absentRoots.length)
    L.push(`Not in the dump (the simulator's look-alike stays): ${r.loaded.absentRoots.join(", ")}`);
  if (r.loaded.placeholders.length)
    L.push(`Not in the dump (empty placeholders): ${r.loaded.placeholders.join(", ")}`);
  for (const c of r.loaded.conflicts)
    L.push(`  ✗ conflict: ${c.module} needs ${c.needs}, which stays the simulator's`);
  if (r.loaded.babelHelpersMissing.length)
    L.push(`  ✗ babelHelpers our environment lacks: ${r.loaded.babelHelpersMissing.join(", ")}`);
  L.push("");
  L.push("Modules found by shape (the extension's capture health):");
  const m = r.shape.modules;
  L.push(
    m
      ? `  codec ${yn(m.codec)} · comms ${yn(m.comms)} · dictionary ${yn(m.dictionary)} · voip ${yn(m.voip)}`
      : "  (the extension reported no module shapes)",
  );
  for (const x of r.shape.recognised) L.push(`  recognised ${x}`);
  L.push(
    `  comms mode: ${r.shape.commsMode ?? "?"}${r.shape.commsEvidence ? ` (${r.shape.commsEvidence.join("; ")})` : ""}`,
  );
  const d = r.shape.dictionary;
  if (d)
    L.push(
      `  dictionary: ${d.source} v${d.version ?? "?"}, headers ${d.headerVersions.join(",") || "none"}${d.note ? ` (${d.note})` : ""}`,
    );
  const tr = r.shape.transport;
  if (tr)
    L.push(
      `  transport: ${tr.sockets} chat socket(s), ${tr.keys} Noise keys, ${tr.sessions} sessions matched, ` +
        `frames ${tr.framesIn} in / ${tr.framesOut} out, ${tr.undecryptable} undecryptable, ${tr.counterGaps} counter gaps`,
    );
  if (r.shape.codecEchoes)
    L.push(`  codec echoes counted (not rows): ${JSON.stringify(r.shape.codecEchoes)}`);
  if (r.shape.codecPayloads)
    L.push(`  codec payloads counted (not rows): ${JSON.stringify(r.shape.codecPayloads)}`);
  if (r.shape.codecOnly !== undefined) L.push(`  rows only the codec tap saw: ${r.shape.codecOnly}`);
  for (const l of r.shape.limitations ?? []) L.push(`  limitation ${l}`);
  L.push("Taps:");
  if (r.taps.length === 0) L.push("  (none reported)");
  for (const t of r.taps)
    L.push(
      `  ${t.name.padEnd(20)} installed ${yn(t.installed)} · live ${yn(t.live)}${t.seen !== undefined ? ` · seen ${t.seen}` : ""}${t.disabled ? " · DISABLED" : ""}${t.note ? ` · ${t.note}` : ""}`,
    );
  L.push("");
  L.push("Calls (extension vs the server's wire record):");
  for (const c of r.calls) {
    L.push(
      `  ${c.scenario} ${c.callId}: ${c.captured ? `${c.state}, reason ${c.reason ?? "—"}` : "NOT CAPTURED"} (wire reason ${c.wireReason ?? "—"})`,
    );
    for (const a of c.acks)
      L.push(
        `    ${a.direction === "out" ? "→" : "←"} ${a.action.padEnd(12)} ack: extension ${ms(a.extensionMs)}, wire ${ms(a.wireMs)}, Δ ${ms(a.deltaMs)}${latencyOutOfTolerance(a) ? `  ! beyond ±${ACK_TOLERANCE_MS} ms` : ""}`,
      );
  }
  const sent = r.calls.flatMap((c) => c.acks).filter((a) => a.direction === "out" && a.deltaMs !== undefined);
  L.push(
    `  acks of the page's <call>s within ±${ACK_TOLERANCE_MS} ms of the server's delay: ` +
      `${sent.filter((a) => !latencyOutOfTolerance(a)).length} of ${sent.length}` +
      " (← rows: the extension measures the page's own reply; the wire figure adds both transits)",
  );
  L.push("");
  const rr = r.rows;
  L.push(
    `Rows: ${rr.rows} in the extension, ${rr.wireCallStanzas} call stanzas on the wire, ${rr.matched} matched, ` +
      `${rr.phantoms.length} phantom, ${rr.missing.length} missing`,
  );
  L.push(`  rows by taps: ${JSON.stringify(rr.byTaps)}`);
  for (const p of rr.phantoms) L.push(`  phantom #${p.seq} ${p.key} seen by ${p.seenBy.join("+")}: ${p.why}`);
  for (const x of rr.missing) L.push(`  missing ${x.key}${x.callId ? ` (call ${x.callId})` : ""}`);
  L.push("");
  L.push(`Footprint: ${r.footprint ? JSON.stringify(r.footprint) : "(the page has no __sim.footprint())"}`);
  if (r.baseline)
    L.push(
      `  without the extension: ${r.baseline.footprint ? JSON.stringify(r.baseline.footprint) : "(no __sim.footprint())"}` +
        ` — ${r.baseline.differs.length ? `differs in ${r.baseline.differs.join(", ")}` : "the same"}`,
    );
  if (r.pageErrors.length) {
    L.push(`Page errors and warnings (${r.pageErrors.length}):`);
    for (const e of r.pageErrors) L.push(`  ${e}`);
  }
  return L.join("\n");
}

function yn(v: boolean): string {
  return v ? "yes" : "no";
}
