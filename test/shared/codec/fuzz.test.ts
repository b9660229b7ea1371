/**
 * Fuzz-style robustness: whatever the bytes, decoding returns a node or a CodecError whose
 * offset lies inside the buffer; it never throws and never reports `internal`; and it does
 * bounded work and allocation: `DecodeStats.steps` ≤ MAX_DECODE_STEPS_PER_BYTE × input bytes
 * and `DecodeStats.allocatedBytes` ≤ MAX_DECODE_ALLOC_PER_BYTE × input bytes, for every frame
 * (the counters sit at the allocation sites and count the size actually requested, so a
 * length that is not checked against the remaining bytes before allocating fails them).
 */
import fc from "fast-check";
import { zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  type CodecError,
  type DecodeStats,
  decodeFrame,
  decodeNode,
  encodeFrame,
  encodeNode,
  isCodecError,
  TAGS,
  type WANode,
} from "../../../src/shared/codec";
import { fromHex, nodeArb, RUNS } from "./support";

const KNOWN_CODES = new Set([
  "empty-frame",
  "truncated",
  "invalid-tag",
  "invalid-token",
  "invalid-jid",
  "invalid-node",
  "limit-exceeded",
  "inflate-failed",
  "trailing-bytes",
]);

/**
 * Asserts the decoder contract for `bytes` and returns the result. Plain checks instead of
 * `expect` keep the hot loops (hundreds of thousands of decodes) fast.
 */
const stats: DecodeStats = { inputBytes: 0, steps: 0, allocatedBytes: 0 };

function checkDecode(bytes: Uint8Array, frame: boolean): WANode | CodecError {
  const r = frame ? decodeFrame(bytes, { stats }) : decodeNode(bytes, { stats });
  const n = Math.max(1, stats.inputBytes);
  if (stats.steps > TAGS.MAX_DECODE_STEPS_PER_BYTE * n) {
    throw new Error(`${stats.steps} steps for ${stats.inputBytes} bytes`);
  }
  if (stats.allocatedBytes > TAGS.MAX_DECODE_ALLOC_PER_BYTE * n) {
    throw new Error(`${stats.allocatedBytes} bytes allocated for ${stats.inputBytes} bytes`);
  }
  if (isCodecError(r)) {
    const inRange =
      Number.isInteger(r.offset) &&
      r.offset >= 0 &&
      (r.region !== "input" || r.offset < Math.max(1, bytes.length));
    if (!KNOWN_CODES.has(r.code) || !inRange) throw new Error(`bad error ${r} for ${bytes.length} bytes`);
  } else {
    // Anything we decode can be encoded again.
    encodeNode(r);
  }
  return r;
}

const arb = nodeArb({
  fb: true,
  fbDevice0: true,
  interop: false,
  call: true,
  blankAttrs: true,
  emptyChildren: true,
});
const timeout = 30_000 + RUNS * 10;

describe("decoder robustness", () => {
  it(
    "every strict prefix of a valid frame is `truncated` (or `empty-frame`) inside the prefix",
    () => {
      fc.assert(
        fc.property(arb, (node) => {
          const frame = encodeFrame(node);
          for (let cut = 0; cut < frame.length; cut++) {
            const r = checkDecode(frame.subarray(0, cut), true);
            const want = cut <= 1 ? "empty-frame" : "truncated";
            if (!isCodecError(r) || r.code !== want || r.offset >= Math.max(1, cut)) {
              throw new Error(`prefix ${cut}/${frame.length}: expected ${want}, got ${String(r)}`);
            }
          }
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    },
    timeout,
  );

  it(
    "random bit flips give a node or an error with an in-range offset",
    () => {
      fc.assert(
        fc.property(arb, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (node, flips) => {
          const frame = encodeFrame(node);
          for (const f of flips) frame[f % frame.length] ^= 1 << (f % 8);
          checkDecode(frame, true);
          checkDecode(frame.subarray(1), false);
        }),
        { numRuns: RUNS },
      );
    },
    timeout,
  );

  it(
    "random and tag-heavy byte strings never throw",
    () => {
      const tagByte = fc.oneof(
        fc.constantFrom(
          0,
          0xf8,
          0xf9,
          0xfa,
          0xfb,
          0xfc,
          0xfd,
          0xfe,
          0xff,
          0xf5,
          0xf6,
          0xf7,
          0xec,
          0xef,
          0xf0,
        ),
        fc.integer({ min: 0, max: 255 }),
      );
      fc.assert(
        fc.property(fc.array(tagByte, { maxLength: 80 }), fc.boolean(), (bytes, frame) => {
          checkDecode(new Uint8Array(frame ? bytes : [0xf8, ...bytes]), frame);
        }),
        { numRuns: RUNS * 2 },
      );
    },
    timeout,
  );

  it(
    "corrupted zlib frames never throw",
    () => {
      fc.assert(
        fc.property(arb, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (node, flips) => {
          const z = zlibSync(encodeNode(node));
          const frame = new Uint8Array([2, ...z]);
          for (const f of flips) frame[1 + (f % z.length)] ^= 1 << (f % 8);
          checkDecode(frame, true);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    },
    timeout,
  );

  it.each([
    ["BINARY_32 of 4 GiB", "f802fc0161feffffffff", "truncated", 5],
    ["BINARY_20 of 1 MiB", "f802fc0161fd0fffff", "truncated", 5],
    ["LIST_16 of 65535 children", "f802fc0161f9ffff f801fc0162", "truncated", 5],
    ["node of 65535 items", "f9ffff fc0161", "truncated", 0],
    ["LIST_8 node of 255 items", "f8ff fc0161 fc0162", "truncated", 0],
    ["string beyond MAX_STRING_BYTES", "f803fc0161fc0162fe7fffffff", "limit-exceeded", 8],
    ["packed string of 127 bytes", "f803fc0161fc0162ff7f1234", "truncated", 8],
    ["dictionary token without index", "f801ec", "truncated", 2],
    ["AD_JID cut after domain", "f803fc0161fc0162f701", "truncated", 8],
    ["FB_JID cut in device", "f803fc0161fc0162f65500", "truncated", 8],
  ])("huge or cut declared lengths: %s", (_name, h, code, offset) => {
    const bytes = fromHex(h);
    const r = checkDecode(bytes, false);
    expect(isCodecError(r) && [r.code, r.offset]).toEqual([code, offset]);
    // Nothing of the declared size was allocated: only what the few bytes present allow.
    expect(stats.allocatedBytes).toBeLessThanOrEqual(TAGS.MAX_DECODE_ALLOC_PER_BYTE * bytes.length);
  });

  it("the counters are live: a declared 1000-byte value and 300 children are counted", () => {
    const blob = decodeNode(encodeNode({ tag: "a", attrs: {}, content: new Uint8Array(1000) }), { stats });
    expect(isCodecError(blob)).toBe(false);
    expect(stats.allocatedBytes).toBeGreaterThanOrEqual(1000);
    expect(stats.steps).toBeGreaterThanOrEqual(1000);
    const kids = Array.from({ length: 300 }, () => ({ tag: "b", attrs: {} }));
    decodeNode(encodeNode({ tag: "a", attrs: {}, content: kids }), { stats });
    expect(stats.allocatedBytes).toBeGreaterThanOrEqual(8 * 300);
    expect(stats.inputBytes).toBe(encodeNode({ tag: "a", attrs: {}, content: kids }).length);
  });

  it("huge declared sizes do not reach the heap (process.memoryUsage().arrayBuffers)", () => {
    // 16 frames, each declaring a 256 MiB value in 15 bytes: allocating any would show.
    const frames = Array.from({ length: 16 }, () => fromHex("00 f802fc0161fe10000000 0102030405"));
    const before = process.memoryUsage().arrayBuffers;
    const results = frames.map((f) => decodeFrame(f));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(results.every((r) => isCodecError(r) && r.code === "truncated")).toBe(true);
    expect(grown).toBeLessThan(64 << 20);
  });

  it(
    "10,000 random frames: every one within the step and allocation bounds",
    () => {
      const samples = fc.sample(
        fc.oneof(
          arb.map((n) => encodeFrame(n)),
          fc.tuple(arb, fc.array(fc.nat(), { minLength: 1, maxLength: 6 })).map(([n, flips]) => {
            const f = encodeFrame(n);
            for (const x of flips) f[x % f.length] = x >> 3;
            return f;
          }),
          fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => new Uint8Array([0, 0xf8, ...b])),
        ),
        { numRuns: 10_000, seed: 42 },
      );
      let maxStepsPerByte = 0;
      for (const f of samples) {
        checkDecode(f, true);
        maxStepsPerByte = Math.max(maxStepsPerByte, stats.steps / Math.max(1, stats.inputBytes));
      }
      expect(maxStepsPerByte).toBeLessThanOrEqual(TAGS.MAX_DECODE_STEPS_PER_BYTE);
      expect(maxStepsPerByte).toBeGreaterThan(0.5);
    },
    timeout,
  );

  it("very deep nesting stops at MAX_DEPTH without exhausting the stack", () => {
    const level = "f802fc0178f801";
    const bytes = fromHex(`${level.repeat(100_000)}f801fc0178`);
    const r = checkDecode(bytes, false);
    expect(isCodecError(r) && [r.code, r.offset]).toEqual(["limit-exceeded", TAGS.MAX_DEPTH * 7]);
  });
});
