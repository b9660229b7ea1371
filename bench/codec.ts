/**
 * Codec benchmark: decode and encode throughput of our WABinary codec against Baileys 7
 * (pure-JS `lib/WABinary`) and whatsapp-rust-bridge 0.5.5 (Rust/WASM), on the same frames,
 * in the same run.
 *
 * Frames: the call-stanza corpus (test/shared/codec/corpus/call-stanzas.json, the frames of the
 * call-signalling flows) plus larger offers with 8, 16 and 32 destination devices, all
 * encoded by whatsapp-rust-bridge; frames that some contender cannot decode are skipped for
 * everyone (the bridge rejects `@call` JIDs). One "pass" processes every frame once.
 *
 * Fairness:
 * - each library runs in its own worker thread, i.e. its own V8 isolate (heap, GC and
 *   inline caches): measured in one isolate, the bridge's WASM objects slowed the JS
 *   decoders that ran after it by 2-3x, and a walk shared by all contenders turns
 *   megamorphic. Only one worker runs at a time; the others wait for a message;
 * - every decoder gets its native input (ours and the bridge: the frame with its flags byte;
 *   Baileys: a Buffer view without it, as its `decodeBinaryNode` passes it on), prepared
 *   before timing;
 * - every decoder's output is walked in full: tag, every attribute key and value, and the
 *   content (child nodes recursively, length and first/last byte of binary content, text
 *   length), summed into a checksum that must be equal for all contenders. The bridge returns
 *   a lazy WASM-backed `InternalBinaryNode`: it is walked both through its getters (`tag`,
 *   `attrs`, `content`, recursively, freeing every child wrapper, without which the WASM
 *   heap grows and the bridge slows down by orders of magnitude) and through one `toJSON()`
 *   call followed by the plain walk; the faster of the two counts; the root is freed in both;
 * - every encoder gets the same plain `WANode` trees (from our decoder; Uint8Array binary
 *   content) and returns a frame with the flags byte; the byte totals must be equal;
 * - warm-up, then several rounds in which the contenders run back to back; the tables show
 *   each contender's median round and the ratios are medians of per-round ratios, so that
 *   load drifting during the run cancels out;
 * - time is process CPU time (`process.cpuUsage`, GC threads included; the other threads are
 *   idle meanwhile), not wall time, so other processes on a busy machine distort less.
 *
 * Usage: `npx tsx bench/codec.ts [--quick]` (`npm run bench`). `--quick` is a CI smoke run
 * (< 10 s). The last line is
 * `RESULT decode_vs_baileys=… encode_vs_baileys=… decode_vs_bridge=… encode_vs_bridge=…`
 * with ratio = our throughput / theirs (for the bridge's decode: its faster walk).
 * Env `CODEC_BENCH_ROUNDS=1` also prints the per-round ratios.
 */
import { readFileSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const quick = process.argv.includes("--quick");
/** Timed rounds per contender (median taken), CPU ms per round, CPU ms of warm-up per contender. */
const ROUNDS = quick ? 5 : 15;
const ROUND_MS = quick ? 80 : 200;
const WARMUP_MS = quick ? 150 : 600;

type Op = "decode" | "encode";
type Lib = "ours" | "baileys" | "bridge";
/** Contenders per operation, and the library (worker) each one runs in. */
const CONTENDERS: Record<Op, [name: string, lib: Lib][]> = {
  decode: [
    ["ours", "ours"],
    ["baileys", "baileys"],
    ["bridge (getters)", "bridge"],
    ["bridge (toJSON)", "bridge"],
  ],
  encode: [
    ["ours", "ours"],
    ["baileys", "baileys"],
    ["bridge", "bridge"],
  ],
};
const LIBS: Lib[] = ["ours", "baileys", "bridge"];
/** Key of a contender's pass inside its worker. */
const passKey = (op: Op, name: string): string => `${op}:${name}`;

/** One timed unit of work: every frame once; returns a checksum. */
type Pass = () => number;

interface WorkerInput {
  lib: Lib;
  frames: Uint8Array[];
}

/** Main → worker: run pass `key` for `run` CPU ms. Worker → main: `ready` (checksums by key) or a rate. */
type Request = { key: string; run: number };
type Reply = { ready: Record<string, number> } | { rate: number } | { error: string };

// ---------------------------------------------------------------------------------------------
// Worker side
// ---------------------------------------------------------------------------------------------

interface AnyNode {
  tag: string;
  attrs: Record<string, string>;
  content?: unknown;
}

/** Reads every tag, attribute and content of a plain tree; returns a checksum. */
function walk(n: AnyNode): number {
  let sum = n.tag.length;
  const attrs = n.attrs;
  for (const k in attrs) sum += k.length + attrs[k].length;
  const c = n.content;
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) sum += walk(c[i] as AnyNode);
  } else if (c instanceof Uint8Array) {
    sum += c.length + (c.length > 0 ? c[0] + c[c.length - 1] : 0);
  } else if (typeof c === "string") sum += c.length;
  return sum;
}

/** `walk` for the bridge's `toJSON()` trees (its own copy, so the two bridge walks do not share inline caches). */
function walkJson(n: AnyNode): number {
  let sum = n.tag.length;
  const attrs = n.attrs;
  for (const k in attrs) sum += k.length + attrs[k].length;
  const c = n.content;
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) sum += walkJson(c[i] as AnyNode);
  } else if (c instanceof Uint8Array) {
    sum += c.length + (c.length > 0 ? c[0] + c[c.length - 1] : 0);
  } else if (typeof c === "string") sum += c.length;
  return sum;
}

/** The bridge's lazy node (`InternalBinaryNode`), as far as the walk uses it. */
interface LazyNode {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly content: unknown;
  free(): void;
  toJSON(): unknown;
}

/** The same walk through the bridge's getters; every child wrapper is freed after its walk. */
function walkLazy(n: LazyNode): number {
  let sum = n.tag.length;
  const attrs = n.attrs;
  for (const k in attrs) sum += k.length + attrs[k].length;
  const c = n.content;
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) {
      const child = c[i] as LazyNode;
      sum += walkLazy(child);
      child.free();
    }
  } else if (c instanceof Uint8Array) {
    sum += c.length + (c.length > 0 ? c[0] + c[c.length - 1] : 0);
  } else if (typeof c === "string") sum += c.length;
  return sum;
}

/** Builds the passes of one library's contenders (importing only that library, plus our decoder for encode inputs). */
async function makePasses({ lib, frames }: WorkerInput): Promise<Record<string, Pass>> {
  const codec = await import("../src/shared/codec");
  const trees = frames.map((f) => codec.decodeFrame(f) as AnyNode);
  if (lib === "ours") {
    return {
      [passKey("decode", "ours")]: () => {
        let sum = 0;
        for (let i = 0; i < frames.length; i++) sum += walk(codec.decodeFrame(frames[i]) as AnyNode);
        return sum;
      },
      [passKey("encode", "ours")]: () => {
        let sum = 0;
        for (let i = 0; i < trees.length; i++) sum += codec.encodeFrame(trees[i] as never).length;
        return sum;
      },
    };
  }
  if (lib === "baileys") {
    const constants = await import("baileys/lib/WABinary/constants.js");
    const baileys = await import("baileys/lib/WABinary/index.js");
    const inputs = frames.map((f) => Buffer.from(f.buffer, f.byteOffset + 1, f.length - 1));
    return {
      [passKey("decode", "baileys")]: () => {
        let sum = 0;
        for (let i = 0; i < inputs.length; i++) {
          sum += walk(baileys.decodeDecompressedBinaryNode(inputs[i], constants as never) as AnyNode);
        }
        return sum;
      },
      [passKey("encode", "baileys")]: () => {
        let sum = 0;
        for (let i = 0; i < trees.length; i++) sum += baileys.encodeBinaryNode(trees[i] as never).length;
        return sum;
      },
    };
  }
  const bridge = await import("whatsapp-rust-bridge");
  return {
    [passKey("decode", "bridge (getters)")]: () => {
      let sum = 0;
      for (let i = 0; i < frames.length; i++) {
        const n = bridge.decodeNode(frames[i]) as unknown as LazyNode;
        sum += walkLazy(n);
        n.free();
      }
      return sum;
    },
    [passKey("decode", "bridge (toJSON)")]: () => {
      let sum = 0;
      for (let i = 0; i < frames.length; i++) {
        const n = bridge.decodeNode(frames[i]) as unknown as LazyNode;
        sum += walkJson(n.toJSON() as AnyNode);
        n.free();
      }
      return sum;
    },
    [passKey("encode", "bridge")]: () => {
      let sum = 0;
      for (let i = 0; i < trees.length; i++) sum += bridge.encodeNode(trees[i] as never).length;
      return sum;
    },
  };
}

/** CPU time of this process in ms (user + system, all threads, so GC work is charged too). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let sink = 0;

/** Runs `pass` repeatedly for about `ms` of CPU time; returns passes per CPU second. */
function timed(pass: Pass, ms: number): number {
  let passes = 0;
  const start = cpuMs();
  let now = start;
  do {
    sink ^= pass();
    passes++;
    now = cpuMs();
  } while (now - start < ms);
  return (passes * 1000) / (now - start);
}

async function workerMain(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  try {
    const passes = await makePasses(workerData as WorkerInput);
    port.on("message", (req: Request) => {
      port.postMessage({ rate: timed(passes[req.key], req.run) + (sink === 0.5 ? 1 : 0) } satisfies Reply);
    });
    const ready: Record<string, number> = {};
    for (const [key, pass] of Object.entries(passes)) ready[key] = pass();
    port.postMessage({ ready } satisfies Reply);
  } catch (e) {
    port.postMessage({ error: String(e) } satisfies Reply);
  }
}

// ---------------------------------------------------------------------------------------------
// Main side
// ---------------------------------------------------------------------------------------------

interface Result {
  /** Median over the rounds. */
  stanzasPerSec: number;
  mbPerSec: number;
  checksum: number;
  /** Passes per CPU second, per round (round r of every contender ran back to back). */
  rounds: number[];
}

/** A library's worker: `ask` sends a request and resolves with the next reply. */
interface Handle {
  worker: Worker;
  ask(req: Request): Promise<Reply>;
  ready: Promise<Reply>;
}

function spawn(input: WorkerInput): Handle {
  // The worker registers tsx itself, then loads this file (worker threads do not inherit
  // tsx's loader).
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  let pending: ((r: Reply) => void) | undefined;
  let readyResolve: ((r: Reply) => void) | undefined;
  const ready = new Promise<Reply>((resolve) => {
    readyResolve = resolve;
  });
  worker.on("message", (r: Reply) => {
    if (readyResolve !== undefined) {
      const f = readyResolve;
      readyResolve = undefined;
      f(r);
    } else if (pending !== undefined) {
      const f = pending;
      pending = undefined;
      f(r);
    }
  });
  worker.on("error", (e) => {
    const r: Reply = { error: String(e) };
    readyResolve?.(r);
    pending?.(r);
  });
  return {
    worker,
    ready,
    ask: (req) =>
      new Promise<Reply>((resolve) => {
        pending = resolve;
        worker.postMessage(req);
      }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function rateOf(r: Reply, name: string): number {
  if ("rate" in r) return r.rate;
  throw new Error(`${name}: ${"error" in r ? r.error : "unexpected reply"}`);
}

/**
 * Measures the contenders of `op`: warm-up, then `ROUNDS` rounds in which each contender runs
 * in its library's worker while the others wait (see the module comment).
 */
async function runAll(
  op: Op,
  workers: Map<Lib, Handle>,
  checksums: Record<string, number>,
  frameCount: number,
  totalBytes: number,
): Promise<Record<string, Result>> {
  const list = CONTENDERS[op];
  const ask = async (name: string, lib: Lib, ms: number): Promise<number> =>
    rateOf(await (workers.get(lib) as Handle).ask({ key: passKey(op, name), run: ms }), name);
  for (const [name, lib] of list) await ask(name, lib, WARMUP_MS);
  const rounds: number[][] = list.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < list.length; i++) rounds[i].push(await ask(list[i][0], list[i][1], ROUND_MS));
  }
  const out: Record<string, Result> = {};
  list.forEach(([name], i) => {
    const passesPerSec = median(rounds[i]);
    out[name] = {
      stanzasPerSec: passesPerSec * frameCount,
      mbPerSec: (passesPerSec * totalBytes) / 1e6,
      checksum: checksums[passKey(op, name)],
      rounds: rounds[i],
    };
  });
  const sums = new Set(Object.values(out).map((r) => r.checksum));
  if (sums.size !== 1) throw new Error(`${op} checksums differ: ${[...sums].join(", ")}`);
  return out;
}

const fmt = (x: number, d = 0): string =>
  x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function table(title: string, results: Record<string, Result>): void {
  console.log(`\n${title}`);
  console.log(`${"implementation".padEnd(20)} ${"stanzas/s".padStart(12)} ${"MB/s".padStart(9)}  checksum`);
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(20)} ${fmt(r.stanzasPerSec).padStart(12)} ${fmt(r.mbPerSec, 1).padStart(9)}  ${r.checksum}`,
    );
  }
}

/** Median over rounds of our per-round throughput divided by theirs. */
function ratioOf(ours: number[], theirs: number[]): number {
  return median(ours.map((x, i) => x / theirs[i]));
}

async function main(): Promise<void> {
  const bridge = await import("whatsapp-rust-bridge");
  const constants = await import("baileys/lib/WABinary/constants.js");
  const baileys = await import("baileys/lib/WABinary/index.js");
  const codec = await import("../src/shared/codec");
  const { largeOffer } = await import("../test/shared/codec/corpus/stanzas");

  const corpus = JSON.parse(
    readFileSync(new URL("../test/shared/codec/corpus/call-stanzas.json", import.meta.url), "utf8"),
  ) as { frames: { name: string; hex: string }[] };
  const all: { name: string; bytes: Uint8Array }[] = corpus.frames.map((f) => ({
    name: f.name,
    bytes: new Uint8Array(Buffer.from(f.hex, "hex")),
  }));
  for (const devices of [8, 16, 32]) {
    all.push({ name: `offer-${devices}-devices`, bytes: bridge.encodeNode(largeOffer(devices) as never) });
  }
  const decodableByAll = (bytes: Uint8Array): boolean => {
    try {
      bridge.decodeNode(bytes).free();
      baileys.decodeDecompressedBinaryNode(Buffer.from(bytes.subarray(1)), constants as never);
      return !codec.isCodecError(codec.decodeFrame(bytes));
    } catch {
      return false;
    }
  };
  const skipped = all.filter((f) => !decodableByAll(f.bytes)).map((f) => f.name);
  const frames = all.filter((f) => !skipped.includes(f.name)).map((f) => f.bytes);
  const totalBytes = frames.reduce((s, f) => s + f.length, 0);

  console.log(
    `WABinary codec benchmark${quick ? " (--quick)" : ""}: ${frames.length} frames, ${totalBytes} bytes per pass ` +
      `(corpus + offers to 8/16/32 devices), ${ROUNDS} rounds × ${ROUND_MS} CPU ms, one worker per ` +
      `library, median; node ${process.version}` +
      (skipped.length > 0 ? `; skipped (not decodable by every contender): ${skipped.join(", ")}` : ""),
  );
  const workers = new Map(LIBS.map((lib) => [lib, spawn({ lib, frames })] as const));
  let dec: Record<string, Result>;
  let enc: Record<string, Result>;
  try {
    const checksums: Record<string, number> = {};
    for (const [lib, h] of workers) {
      const r = await h.ready;
      if (!("ready" in r)) throw new Error(`${lib} worker: ${"error" in r ? r.error : "no ready"}`);
      Object.assign(checksums, r.ready);
    }
    dec = await runAll("decode", workers, checksums, frames.length, totalBytes);
    enc = await runAll("encode", workers, checksums, frames.length, totalBytes);
  } finally {
    for (const h of workers.values()) await h.worker.terminate();
  }
  table("decode (output walked in full)", dec);
  table("encode", enc);

  const bridgeDec = dec["bridge (getters)"].rounds.map((x, i) =>
    Math.max(x, dec["bridge (toJSON)"].rounds[i]),
  );
  const fasterDec = dec.baileys.rounds.map((x, i) => Math.max(x, bridgeDec[i]));
  const fasterEnc = enc.baileys.rounds.map((x, i) => Math.max(x, enc.bridge.rounds[i]));
  const fixed = (x: number): string => x.toFixed(2);
  const r = {
    decode_vs_baileys: fixed(ratioOf(dec.ours.rounds, dec.baileys.rounds)),
    encode_vs_baileys: fixed(ratioOf(enc.ours.rounds, enc.baileys.rounds)),
    decode_vs_bridge: fixed(ratioOf(dec.ours.rounds, bridgeDec)),
    encode_vs_bridge: fixed(ratioOf(enc.ours.rounds, enc.bridge.rounds)),
  };
  if (process.env.CODEC_BENCH_ROUNDS === "1") {
    const show = (label: string, ours: number[], theirs: number[]) =>
      console.log(`${label.padEnd(18)} ${ours.map((x, i) => (x / theirs[i]).toFixed(2)).join(" ")}`);
    show("\ndecode/baileys", dec.ours.rounds, dec.baileys.rounds);
    show("decode/bridge", dec.ours.rounds, bridgeDec);
    show("encode/baileys", enc.ours.rounds, enc.baileys.rounds);
    show("encode/bridge", enc.ours.rounds, enc.bridge.rounds);
  }
  console.log(
    `\nratios (ours / theirs, median of per-round ratios): decode ${r.decode_vs_baileys}x Baileys, ` +
      `${r.decode_vs_bridge}x bridge; encode ${r.encode_vs_baileys}x Baileys, ${r.encode_vs_bridge}x bridge`,
  );
  console.log(
    `targets (≥ 2x the faster): decode ${fixed(ratioOf(dec.ours.rounds, fasterDec))}x, ` +
      `encode ${fixed(ratioOf(enc.ours.rounds, fasterEnc))}x`,
  );
  console.log(
    `RESULT decode_vs_baileys=${r.decode_vs_baileys} encode_vs_baileys=${r.encode_vs_baileys} ` +
      `decode_vs_bridge=${r.decode_vs_bridge} encode_vs_bridge=${r.encode_vs_bridge}`,
  );
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  void workerMain();
}
