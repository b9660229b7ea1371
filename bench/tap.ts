/**
 * Tap overhead benchmark: the time the extension's taps add to WhatsApp's own call path, per
 * stanza, measured in Debian Chromium on the simulator, tap ON versus OFF in the same page.
 *
 * Method (in the page, no DevTools):
 * 1. Record (tap off: Chromium without the extension). The simulator runs call scenarios with
 *    fast chatter; a recorder wrapping WA's `encodeStanza`/`decodeStanza` exports keeps each real
 *    stanza: the node WA sent or decoded and its frame bytes.
 * 2. Replay OFF. For each recorded stanza, the page runs exactly the calls WA makes for it,
 *    `reps` times in a loop, timed with `performance.now()` and divided by `reps`; the fastest of
 *    `runs` loops counts (the least disturbed by other processes):
 *    - received: `subtle.decrypt` (Noise-shaped: one-usage AES-GCM key, zero-prefixed IV; only
 *      its synchronous part is on WA's path), `WAWap.decodeStanza(bytes, gzipInflate)`, the comms
 *      config's `onHandleStanza(node)`;
 *    - sent: `WAWap.encodeStanza(node)`, `subtle.encrypt(...)`, `onCastStanza(node)`.
 *    Looping is needed because Chromium coarsens `performance.now()` to 100 µs in pages that are
 *    not cross-origin isolated. The page yields between stanzas so that timers (WA's and the
 *    tap's deferred work: decoding, dedupe, emission) never run inside a timed loop.
 * 3. Install the tap: the built MAIN-world script (`<dist>/src/page/main.js`, the file the
 *    extension injects) is added to the same page. It wraps the same functions as at
 *    `document_start` (modules found by its registry scan, the running comms config patched in
 *    place, WebCrypto and WebSocket prototypes wrapped).
 * 4. Replay ON, same stanzas, same page. Added cost of a stanza = ON − OFF for that stanza;
 *    median and p99 over the stanzas, for call-related stanzas (`<call>`, `<ack class="call">`,
 *    offer receipts) and for everything else. The ratio ON/OFF of the medians is printed.
 * 5. Deferred work (off WA's call path, same thread): a run with the real extension reads the
 *    tap's own accounting (`health.deferredCost`, `performance.now()` around each of its timer
 *    tasks) twice, after a first call and after a second one plus chatter, and divides the
 *    difference by the stanzas seen in between (steady state); printed, not part of RESULT.
 *
 * Not measured: cold (first-call) costs — loops measure the warm steady state — and the
 * `WebSocket.send` wrapper (one WeakSet lookup per send).
 *
 * Usage: `npx tsx bench/tap.ts [--quick] [--dist <extension build>] [--reps <n>]`
 * (build first: `npx vite build`). `--quick` is a CI smoke run (< 60 s). Targets: < 20 µs
 * median per non-call stanza, < 200 µs per call stanza. The last line is
 * `RESULT noncall_median_us=<n> noncall_p99_us=<n> call_median_us=<n> call_p99_us=<n>`.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { DIST, launch, runScenarios } from "../e2e/harness";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dist = resolve(argValue("--dist") ?? DIST);
const REPS = Number(argValue("--reps") ?? (quick ? 100 : 300));
const CALL_REPS = Math.max(10, Math.round(REPS / 4));
const RUNS = quick ? 3 : 5;
const CHATTER_MS = quick ? 40 : 25;
const RECORD_MS = quick ? 3000 : 12000;
const MAX_NONCALL = quick ? 40 : 200;

/** One replayed stanza: its kind and cost (µs per occurrence) with the tap off and on. */
interface Sample {
  call: boolean;
  dir: "in" | "out";
  tag: string;
  off: number;
  on: number;
}

/** Installs the recorder in the page (the tap, when added later, wraps outside it). */
async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    type W = Window & { importNamespace(n: string): Record<string, unknown>; __benchRec?: unknown };
    const w = window as unknown as W;
    const wawap = w.importNamespace("WAWap");
    const rec = { out: [] as unknown[], in: [] as unknown[], on: true };
    w.__benchRec = rec;
    const decode = wawap.decodeStanza as (b: unknown, i: unknown) => Promise<unknown>;
    const encode = wawap.encodeStanza as (n: unknown) => Uint8Array;
    const gzip = w.importNamespace("WAWebInflate").gzipInflate;
    wawap.decodeStanza = function (this: unknown, buf: unknown, inflate: unknown) {
      const p = decode.call(this, buf, inflate);
      if (rec.on && inflate === gzip) {
        const u8 = buf instanceof ArrayBuffer ? new Uint8Array(buf) : (buf as Uint8Array);
        const bytes = u8.slice();
        p.then(
          (node) => rec.in.push({ node, bytes }),
          () => undefined,
        );
      }
      return p;
    };
    wawap.encodeStanza = function (this: unknown, node: unknown) {
      const out = encode.call(this, node);
      if (rec.on) rec.out.push({ node, bytes: out.slice() });
      return out;
    };
  });
}

/** Replays the recorded stanzas; returns µs per occurrence (fastest of `runs` loops) for each. */
async function replay(
  page: Page,
  opts: { reps: number; callReps: number; runs: number; maxNonCall: number },
): Promise<{ call: boolean; dir: "in" | "out"; tag: string; us: number }[]> {
  return page.evaluate(async ({ reps, callReps, runs, maxNonCall }) => {
    type Node = { tag: string; attrs: Record<string, unknown>; content: unknown };
    type Rec = { node: Node; bytes: Uint8Array<ArrayBuffer> };
    type W = Window & {
      importNamespace(n: string): Record<string, unknown>;
      __benchRec: { out: Rec[]; in: Rec[]; on: boolean; corpus?: { in: Rec[]; out: Rec[] } };
    };
    const w = window as unknown as W;
    const rec = w.__benchRec;
    rec.on = false;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const wawap = w.importNamespace("WAWap");
    const gzip = w.importNamespace("WAWebInflate").gzipInflate;
    const comms = w.importNamespace("WAComms").getComms as () => {
      config: { handlers: Record<string, (...a: unknown[]) => unknown> };
    };
    const subtle = crypto.subtle;
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const encKey = await subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
    const decKey = await subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
    const iv = (n: number) => {
      const v = new Uint8Array(12);
      new DataView(v.buffer).setUint32(8, n);
      return v;
    };
    const noAad = new Uint8Array(0);
    const isCall = (n: Node) => {
      const first = Array.isArray(n.content) ? (n.content[0] as Node | undefined) : undefined;
      return (
        n.tag === "call" ||
        (n.tag === "ack" && String(n.attrs.class) === "call") ||
        (n.tag === "receipt" && first?.tag === "offer")
      );
    };
    const pick = (list: Rec[]) => [
      ...list.filter((r) => isCall(r.node)),
      ...list.filter((r) => !isCall(r.node)).slice(0, maxNonCall),
    ];
    // The same corpus for both replays.
    rec.corpus ??= { in: pick(rec.in), out: pick(rec.out) };
    const out: { call: boolean; dir: "in" | "out"; tag: string; us: number }[] = [];
    const swallow = () => undefined;
    let counter = 0;
    for (const dir of ["in", "out"] as const) {
      for (const r of rec.corpus[dir]) {
        const call = isCall(r.node);
        const n = call ? callReps : reps;
        // Looked up per call, as WA does: whatever wrappers are installed are exercised.
        const handlers = comms().config.handlers;
        const decode = wawap.decodeStanza as (b: unknown, i: unknown) => Promise<unknown>;
        const encode = wawap.encodeStanza as (n: unknown) => Uint8Array<ArrayBuffer>;
        const c = counter++;
        const params = { name: "AES-GCM", iv: iv(c), additionalData: noAad };
        const ct =
          dir === "in" ? new Uint8Array(await subtle.encrypt(params, encKey, r.bytes)) : new Uint8Array(0);
        let best = Number.POSITIVE_INFINITY;
        for (let k = 0; k < runs; k++) {
          const t0 = performance.now();
          if (dir === "in") {
            for (let i = 0; i < n; i++) {
              subtle.decrypt(params, decKey, ct).catch(swallow);
              decode(r.bytes, gzip).catch(swallow);
              handlers.onHandleStanza(r.node, 1, r.bytes.byteLength);
            }
          } else {
            for (let i = 0; i < n; i++) {
              const bytes = encode(r.node);
              subtle.encrypt(params, encKey, bytes).catch(swallow);
              handlers.onCastStanza(r.node, undefined);
            }
          }
          best = Math.min(best, ((performance.now() - t0) * 1000) / n);
          // Let promises settle and every timer (WA's, the tap's deferred work) run untimed.
          await sleep(call ? 40 : 15);
        }
        out.push({ call, dir, tag: r.node.tag, us: best });
      }
    }
    return out;
  }, opts);
}

/** Adds the built MAIN-world tap to the page and waits until it wrapped WA's functions. */
async function installTap(page: Page): Promise<void> {
  const before = await page.evaluate(() => {
    const w = window as unknown as {
      importNamespace(n: string): Record<string, unknown>;
      __benchBefore?: unknown;
    };
    const handlers = (
      w.importNamespace("WAComms").getComms as () => { config: { handlers: Record<string, unknown> } }
    )().config.handlers;
    w.__benchBefore = [
      w.importNamespace("WAWap").decodeStanza,
      handlers.onHandleStanza,
      SubtleCrypto.prototype.decrypt,
    ];
    return true;
  });
  if (!before) throw new Error("no comms in the page");
  await page.addScriptTag({ content: readFileSync(join(dist, "src/page/main.js"), "utf8") });
  await page.waitForFunction(
    () => {
      const w = window as unknown as {
        importNamespace(n: string): Record<string, unknown>;
        __benchBefore: unknown[];
      };
      const handlers = (
        w.importNamespace("WAComms").getComms as () => { config: { handlers: Record<string, unknown> } }
      )().config.handlers;
      const now = [
        w.importNamespace("WAWap").decodeStanza,
        handlers.onHandleStanza,
        SubtleCrypto.prototype.decrypt,
      ];
      return now.every((f, i) => f !== w.__benchBefore[i]);
    },
    undefined,
    { timeout: 10_000 },
  );
}

async function runAB(): Promise<Sample[]> {
  const h = await launch({ dist: null, query: `?chatterMs=${CHATTER_MS}`, sim: { ackDelayMs: 150 } });
  try {
    await h.page.waitForFunction(() => (window as unknown as { __sim?: unknown }).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as { __sim: { ready: Promise<unknown> } }).__sim.ready);
    // tsx compiles with keepNames: functions declared inside page.evaluate callbacks call a
    // `__name` helper that only exists in Node. Give the page a no-op one.
    await h.page.evaluate("globalThis.__name = (f) => f");
    await installRecorder(h.page);
    const started = Date.now();
    if (quick) {
      await h.page.evaluate(() =>
        (window as unknown as { __sim: { run(n: string): Promise<unknown> } }).__sim.run("incoming-answered"),
      );
    } else {
      await runScenarios(h.page);
    }
    const left = RECORD_MS - (Date.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    const opts = { reps: REPS, callReps: CALL_REPS, runs: RUNS, maxNonCall: MAX_NONCALL };
    const off = await replay(h.page, opts);
    await installTap(h.page);
    await new Promise((r) => setTimeout(r, 300));
    const on = await replay(h.page, opts);
    return off.map((o, i) => ({ call: o.call, dir: o.dir, tag: o.tag, off: o.us, on: on[i].us }));
  } finally {
    await h.close();
  }
}

/**
 * The tap's deferred (off-path) main-thread time per stanza seen, µs, with the real extension,
 * over a steady-state window (after a call scenario, so that start-up and JIT warm-up are excluded).
 */
async function runDeferred(): Promise<number | undefined> {
  const h = await launch({ dist, query: `?chatterMs=${CHATTER_MS}`, sim: { ackDelayMs: 150 } });
  try {
    await h.page.waitForFunction(() => (window as unknown as { __sim?: unknown }).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as { __sim: { ready: Promise<unknown> } }).__sim.ready);
    await h.page.evaluate(() =>
      (window as unknown as { __sim: { run(n: string): Promise<unknown> } }).__sim.run("incoming-answered"),
    );
    const read = async () => {
      await new Promise((r) => setTimeout(r, 800));
      const health = (await h.session())?.health;
      const seen = Object.values(health?.seenByTag ?? {}).reduce((a, b) => a + b, 0);
      return { ms: health?.deferredCost?.ms ?? 0, seen };
    };
    const a = await read();
    const run = h.page.evaluate(() =>
      (window as unknown as { __sim: { run(n: string): Promise<unknown> } }).__sim.run("incoming-answered"),
    );
    await new Promise((r) => setTimeout(r, quick ? 2000 : 8000));
    await run;
    const b = await read();
    return b.seen > a.seen ? ((b.ms - a.ms) * 1000) / (b.seen - a.seen) : undefined;
  } finally {
    await h.close();
  }
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "nan");

async function main(): Promise<void> {
  const t0 = Date.now();
  const samples = await runAB();
  const deferred = await runDeferred().catch(() => undefined);
  console.log(
    `tap overhead on WA's call path, µs per stanza (same page, tap off then on; fastest of ${RUNS} loops of ${REPS} reps, ${CALL_REPS} for call stanzas)`,
  );
  const rows: Record<string, { median: number; p99: number }> = {};
  for (const call of [false, true]) {
    const xs = samples.filter((s) => s.call === call);
    const added = xs.map((s) => s.on - s.off);
    const row = { median: quantile(added, 0.5), p99: quantile(added, 0.99) };
    rows[call ? "call" : "noncall"] = row;
    const offMedian = quantile(
      xs.map((s) => s.off),
      0.5,
    );
    const onMedian = quantile(
      xs.map((s) => s.on),
      0.5,
    );
    console.log(
      `${call ? "call    " : "non-call"}  n=${xs.length}  off median ${fmt(offMedian)}  on median ${fmt(onMedian)}  ` +
        `added median ${fmt(row.median)} p99 ${fmt(row.p99)}  ratio on/off ${fmt(onMedian / offMedian)}x`,
    );
    for (const dir of ["in", "out"] as const) {
      const d = xs.filter((s) => s.dir === dir).map((s) => s.on - s.off);
      if (d.length)
        console.log(
          `  ${dir === "in" ? "received" : "sent    "}: n=${d.length} added median ${fmt(quantile(d, 0.5))}`,
        );
    }
  }
  if (deferred !== undefined) {
    console.log(
      `deferred (off the call path, same thread): ${fmt(deferred)} µs per stanza seen (tap's own accounting)`,
    );
  }
  console.log(`targets: non-call median < 20 µs, call < 200 µs; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(
    `RESULT noncall_median_us=${fmt(rows.noncall.median)} noncall_p99_us=${fmt(rows.noncall.p99)} ` +
      `call_median_us=${fmt(rows.call.median)} call_p99_us=${fmt(rows.call.p99)}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
