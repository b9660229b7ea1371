/**
 * End-to-end: the `bin/wa-call-inspector.mjs` entry run as a child process (node + tsx loader)
 * on fixture files in test/cli/fixtures.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../src/cli/main";
import { parseTrace } from "../../src/shared/tracefile/io";
import { validate, wacrgSchema } from "../shared/export/schema";

const BIN = path.resolve("bin/wa-call-inspector.mjs");
const FIX = path.resolve("test/cli/fixtures");
const fx = (name: string) => path.join(FIX, name);

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SECRETS = [
  "15550001111",
  "15550002222",
  "987654321012345",
  "55443322110099",
  "9F8E7D6C5B4A3928",
  "3EB0AA11",
  "93.184.216.34",
  "Bob Example",
  "fra3c02",
];

describe("wa-call-inspector CLI (child process)", { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "wci-cli-"));

  it("prints usage: --help exits 0, no command exits 1, unknown command exits 1", () => {
    expect(cli("--help")).toMatchObject({
      code: 0,
      out: expect.stringContaining("wa-call-inspector analyze"),
    });
    expect(cli().code).toBe(1);
    const bad = cli("frobnicate", fx("whatsmeow.log"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/unknown command "frobnicate"/);
  });

  it("analyzes a trace and two library logs: calls, timelines, latencies, evidence; reports the bad line", () => {
    const r = cli("analyze", fx("session.trace.json"), fx("whatsmeow.log"), fx("whatsapp-rust.log"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("session.trace.json: trace [ms times]");
    expect(r.out).toContain("whatsmeow.log: whatsmeow [time of day, ms]");
    expect(r.out).toContain("whatsapp-rust.log: whatsapp-rust [second times: latencies ±1 s]");
    expect(r.out).toMatch(
      /A1B2C3D4E5F60718293A4B5C6D7E8F90 +out +audio +missed +terminate:timeout +45\.120 s +151\.3 ms +7/,
    );
    expect(r.out).toContain("offer ack 150.0 ms");
    expect(r.out).toContain("offer ack ~0 s (±1 s, s-precision log)");
    expect(r.out).toContain("terminate reason: timeout — missed: rang until the ring timeout");
    expect(r.out).toContain("Evidence for the open questions");
    expect(r.out).toMatch(/\[SIG-12a, miss-a, miss-b\]/);
    expect(r.err).toMatch(
      new RegExp(`${fx("whatsmeow.log").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:8: unreadable stanza`),
    );
  });

  it("exits 4 with --strict when lines were skipped", () => {
    expect(cli("analyze", "--strict", "--no-evidence", fx("whatsmeow.log")).code).toBe(4);
    expect(cli("analyze", "--strict", "--no-evidence", fx("baileys.ndjson")).code).toBe(0);
  });

  it("sanitizes to a loadable trace without any original identifier", () => {
    const out = path.join(tmp, "s.json");
    const r = cli("sanitize", fx("whatsapp-rust.log"), "-o", out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, "utf8");
    const loaded = parseTrace(text);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.trace.sanitized).toMatchObject({ relativeTime: true });
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(cli("sanitize", fx("whatsapp-rust.log")).code).toBe(1);
  });

  it("imports a log to a trace that analyzes the same", () => {
    const out = path.join(tmp, "imported.json");
    const r = cli("import", fx("baileys.ndjson"), "-o", out);
    expect(r.code).toBe(0);
    expect(r.err).toContain("4 call stanzas written (baileys, ms times)");
    const loaded = parseTrace(readFileSync(out, "utf8"));
    expect(loaded.ok && loaded.trace.source.importer).toBe("baileys");
    const a = cli("analyze", "--no-evidence", out);
    expect(a.out).toMatch(/ABCDEF0123456789ABCDEF0123456789 +in +audio +missed +terminate:timeout/);
  });

  it("exports every format, sanitized", () => {
    const formats: [string, string[], RegExp][] = [
      ["json", [], /"format": "wa-call-inspector-trace"/],
      ["ladder", ["--call", "A1B2C3D4E5F60718293A4B5C6D7E8F90"], /^Call CALLID0001 · outgoing/],
      ["mermaid", ["--call", "A1B2C3D4E5F60718293A4B5C6D7E8F90"], /^sequenceDiagram\n/],
      ["mermaid", ["--call", "CALLID0002"], /title Call CALLID0002 · incoming/],
      ["issue", ["--seq", "0"], /^### Stanza tag\n\ncall\n/],
      ["wacrg", ["--per", "call", "--call", "CALLID0003"], /^id: wci-callid0003\n/],
      ["stanza-xml", ["--seq", "1"], /^<ack class="call" id="S0001"/],
      ["stanza-json", ["--seq", "1"], /"direction": "in"/],
      ["evidence", [], /^## Passive call-signalling evidence/],
    ];
    for (const [format, extra, re] of formats) {
      const r = cli("export", "--format", format, ...extra, fx("session.trace.json"));
      expect(r.code, `${format}: ${r.err}`).toBe(0);
      expect(r.out, format).toMatch(re);
      for (const s of ["15550001111", "15550002222", "A1B2C3D4E5F6", "157.240.222.62"])
        expect(r.out, `${format} ${s}`).not.toContain(s);
    }
  });

  it("writes one wacrg record per file into a directory, valid against the schema", async () => {
    const dir = path.join(tmp, "records/");
    const r = cli("export", "--format", "wacrg", "--call", "CALLID0002", "-o", dir, fx("session.trace.json"));
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(14);
    const schema = wacrgSchema("corpus/schema/capture.schema.json");
    for (const f of files)
      expect((await validate(schema, parse(readFileSync(path.join(dir, f), "utf8")))).errors, f).toEqual([]);
  });

  it("exits 2 on input errors and 3 when the leak check refuses", () => {
    expect(cli("analyze", fx("missing.log")).code).toBe(2);
    const unknown = cli("export", "--format", "mermaid", "--call", "NOPE", fx("session.trace.json"));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no call "NOPE"/);
    const notLog = cli("analyze", path.resolve("package.json"));
    expect(notLog.code).toBe(2);
    const leak = cli(
      "export",
      "--format",
      "json",
      "--keep-capability",
      fx("capability-repeats-key.trace.json"),
    );
    expect(leak.code).toBe(3);
    expect(leak.err).toMatch(/export refused: 1 original value\(s\) would leak:\n {2}payload /);
    expect(leak.out).toBe("");
    expect(cli("export", "--format", "json", fx("capability-repeats-key.trace.json")).code).toBe(0);
  });
});

describe("main() in process", () => {
  it("returns usage errors for bad options", async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => err.push(s) };
    expect(await main(["export", "--format", "pdf", fx("session.trace.json")], io)).toBe(1);
    expect(await main(["analyze", "--bogus", fx("session.trace.json")], io)).toBe(1);
    expect(await main(["export", "--format", "stanza-xml", fx("session.trace.json")], io)).toBe(1);
    expect(err.join("\n")).toMatch(/--seq/);
  });
});
