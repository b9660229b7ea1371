import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCalls } from "../../../src/shared/trace/calls";
import {
  analyzeTrace,
  formatDuration,
  formatLatency,
  latencyQuality,
  liveTrace,
  looksLikeTrace,
  parseTrace,
  serializeTrace,
  validateTrace,
} from "../../../src/shared/tracefile/index";
import { threeCalls } from "./fixtures";

describe("trace file", () => {
  it("round-trips: a saved trace loads to the same stanzas and the same calls", () => {
    const trace = threeCalls();
    const text = serializeTrace(trace);
    expect(looksLikeTrace(text)).toBe(true);
    const loaded = parseTrace(text);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.trace).toEqual(trace);
    expect(buildCalls(loaded.trace.stanzas)).toEqual(buildCalls(trace.stanzas));
  });

  it("builds a live trace with ms precision and the WA build from health", () => {
    const t = threeCalls();
    const live = liveTrace(t.stanzas, t.health);
    expect(live.source).toMatchObject({
      kind: "live",
      timestampPrecision: "ms",
      directionInferred: false,
      build: "2.3000.1023456789",
    });
    expect(validateTrace(JSON.parse(JSON.stringify(live))).ok).toBe(true);
  });

  it("reports a JSON syntax error with line and column", () => {
    const r = parseTrace('{\n  "format": "wa-call-inspector-trace",\n  "version": 1,\n  oops\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ path: "$", code: "json" });
    expect(r.errors[0].message).toMatch(/line 4/);
  });

  it("reports typed errors with JSON paths", () => {
    const t = JSON.parse(serializeTrace(threeCalls()));
    t.stanzas[1].direction = "sideways";
    t.stanzas[2].node.attrs.id = 42;
    t.stanzas[3].node.content[0].content[2].content = { b64: "not base64!" };
    t.stanzas[4].seq = 1;
    t.stanzas[5].extra = true;
    delete t.source.directionInferred;
    t.createdAt = "yesterday";
    const r = validateTrace(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.code]));
    expect(byPath).toMatchObject({
      "$.stanzas[1].direction": "value",
      "$.stanzas[2].node.attrs.id": "type",
      "$.stanzas[3].node.content[0].content[2].content.b64": "value",
      "$.stanzas[4].seq": "order",
      "$.stanzas[5].extra": "unknown-key",
      "$.source.directionInferred": "required",
      "$.createdAt": "value",
    });
  });

  it("accepts multi-tap fields and checks their taps and times", () => {
    const t = JSON.parse(serializeTrace(threeCalls()));
    t.stanzas[0].seenBy = ["codec", "transport"];
    t.stanzas[0].seenAt = { codec: 1, transport: 2 };
    expect(validateTrace(t).ok).toBe(true);
    t.stanzas[0].seenBy = ["wire"];
    t.stanzas[0].seenAt = { codec: "soon" };
    const r = validateTrace(t);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.path)).toEqual(["$.stanzas[0].seenBy[0]", "$.stanzas[0].seenAt.codec"]);
  });

  it("rejects other formats and versions early", () => {
    expect(validateTrace({ format: "har" })).toMatchObject({ ok: false, errors: [{ path: "$.format" }] });
    const r = validateTrace({ format: "wa-call-inspector-trace", version: 2 });
    expect(r).toMatchObject({ ok: false, errors: [{ path: "$.version", code: "value" }] });
  });

  it("accepts placeholders and omitted bytes, and the sanitized marker", () => {
    const t = JSON.parse(serializeTrace(threeCalls()));
    t.stanzas[0].node.content[0].content[3].content = { b64: "", truncatedFrom: 7, redacted: "capability" };
    t.sanitized = { version: 1, keptCapability: false, relativeTime: true };
    expect(validateTrace(t).ok).toBe(true);
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const r = validateTrace(x);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseTrace(s);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses nesting deeper than the limit without overflowing", () => {
    let node: Record<string, unknown> = { tag: "x", attrs: {} };
    for (let i = 0; i < 5000; i++) node = { tag: "x", attrs: {}, content: [node] };
    const t = JSON.parse(serializeTrace(threeCalls()));
    t.stanzas[0].node = node;
    const r = validateTrace(t);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.code === "limit")).toBe(true);
  });
});

describe("latency quality", () => {
  it("labels latencies by timestamp precision", () => {
    const t = threeCalls();
    expect(analyzeTrace(t).latency).toBe("exact");
    expect(latencyQuality({ source: { ...t.source, timestampPrecision: "s" } })).toBe("seconds");
    expect(
      latencyQuality({ source: { ...t.source, timestampPrecision: "time-of-day", subSecond: false } }),
    ).toBe("seconds");
    expect(
      latencyQuality({ source: { ...t.source, timestampPrecision: "time-of-day", subSecond: true } }),
    ).toBe("exact");
    expect(latencyQuality({ source: { ...t.source, timestampPrecision: "none" } })).toBe("order-only");
    expect(formatLatency(151.25, "exact")).toBe("151.3 ms");
    expect(formatLatency(1000, "seconds")).toBe("~1 s (±1 s, s-precision log)");
    expect(formatLatency(3, "order-only")).toBe("n/a (no times)");
    expect(formatDuration(45_120, "exact")).toBe("45.120 s");
  });

  it("gives analyzeTrace exactly buildCalls' result", () => {
    const t = threeCalls();
    expect(analyzeTrace(t).index).toEqual(buildCalls(t.stanzas));
  });
});
