/**
 * Property: random phone numbers, LIDs, push names, IPs (v4/v6, in attributes and packed in
 * te/te2) and keys inserted anywhere in a trace never survive any export format, and no
 * export is refused (the sanitizer removes them all, the leak check agrees).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToBase64, bytesToHex } from "../../../src/shared/codec/bytetext";
import { finishOne } from "../../../src/shared/export/finish";
import { sanitizeTrace } from "../../../src/shared/sanitize/index";
import type { PortableNode } from "../../../src/shared/trace/types";
import { b, el, incomingAnswered, outgoingMissed, Session } from "../tracefile/fixtures";
import { allExports } from "./exports";

const digits = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[1-9][0-9]{${min - 1},${max - 1}}$`));
const phone = digits(10, 15);
const lid = digits(14, 15);
const ipv4 = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .filter(
    ([a, b2, c]) =>
      !(a === 192 && b2 === 0 && c === 2) &&
      !(a === 198 && b2 === 51 && c === 100) &&
      !(a === 203 && b2 === 0 && c === 113) &&
      a !== 127,
  )
  .map((p) => p.join("."));
const ipv6 = fc
  .array(fc.integer({ min: 1, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .filter((g) => !(g[0] === 0x2001 && g[1] === 0xdb8))
  .map((g) => g.map((x) => x.toString(16)).join(":"));
const key = fc.uint8Array({ minLength: 8, maxLength: 64 }).filter((k) => new Set(k).size >= 6);
const name = fc.stringMatching(/^[A-Z][a-z]{5,10} [A-Z][a-z]{5,10}$/);
const port = fc.integer({ min: 1024, max: 65535 });

interface Secrets {
  texts: string[];
  keys: Uint8Array[];
}

const packed = (ip: string, p: number): Uint8Array => {
  if (ip.includes(".")) return Uint8Array.from([...ip.split(".").map(Number), p >> 8, p & 255]);
  const g = ip.split(":").map((x) => Number.parseInt(x, 16));
  return Uint8Array.from([...g.flatMap((x) => [x >> 8, x & 255]), p >> 8, p & 255]);
};

const insertion = fc.record({
  kind: fc.constantFrom(
    "from",
    "to",
    "participant",
    "jid",
    "caller_pn",
    "notify",
    "unknown-attr",
    "ip-attr",
    "enc",
    "te2",
    "te",
    "text",
    "token-attr",
  ),
  where: fc.nat(40),
  phone,
  lid,
  lidServer: fc.boolean(),
  device: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
  ip: fc.oneof(ipv4, ipv6),
  port,
  key,
  name,
  attrName: fc
    .stringMatching(/^[a-z]{3,8}$/)
    .filter((n) => !["from", "to", "id", "t", "text", "class", "type"].includes(n)),
});

type Insertion = typeof insertion extends fc.Arbitrary<infer T> ? T : never;

function nodes(n: PortableNode): PortableNode[] {
  return [n, ...(Array.isArray(n.content) ? n.content.flatMap(nodes) : [])];
}

function apply(s: Session, ins: Insertion, secrets: Secrets): void {
  const all = s.stanzas.flatMap((st) => (st.node ? nodes(st.node) : []));
  const target = all[ins.where % all.length];
  const user = ins.lidServer ? ins.lid : ins.phone;
  const jid = `${user}${ins.device ? `:${ins.device}` : ""}@${ins.lidServer ? "lid" : "s.whatsapp.net"}`;
  const ipText = ins.ip;
  switch (ins.kind) {
    case "from":
    case "to":
    case "participant":
    case "jid":
      target.attrs[ins.kind] = jid;
      secrets.texts.push(user);
      break;
    case "caller_pn":
      target.attrs.caller_pn = ins.phone;
      secrets.texts.push(ins.phone);
      break;
    case "notify":
      target.attrs.notify = ins.name;
      secrets.texts.push(ins.name);
      break;
    case "unknown-attr":
      target.attrs[ins.attrName] = `${ins.phone}@s.whatsapp.net`;
      secrets.texts.push(ins.phone);
      break;
    case "token-attr":
      target.attrs[ins.attrName] = bytesToHex(ins.key);
      secrets.texts.push(bytesToHex(ins.key));
      break;
    case "ip-attr":
      target.attrs.ip = ins.ip.includes(":") ? `[${ipText}]:${ins.port}` : `${ipText}:${ins.port}`;
      secrets.texts.push(ipText);
      break;
    case "enc":
      if (!Array.isArray(target.content)) target.content = b(ins.key);
      else target.content.push(el("enc", { v: "2", type: "pkmsg" }, b(ins.key)));
      secrets.keys.push(ins.key);
      break;
    case "te":
    case "te2": {
      const child = el(ins.kind, { relay_name: "x" }, b(packed(ipText, ins.port)));
      if (Array.isArray(target.content)) target.content.push(child);
      else target.content = [child];
      secrets.texts.push(ipText);
      break;
    }
    case "text":
      target.content = `key ${bytesToBase64(ins.key)} for ${ins.phone}`;
      secrets.texts.push(ins.phone, bytesToBase64(ins.key));
      secrets.keys.push(new TextEncoder().encode(bytesToBase64(ins.key)));
      break;
  }
}

function survives(text: string, secrets: Secrets): string | undefined {
  for (const s of secrets.texts) if (text.includes(s)) return s;
  for (const k of secrets.keys) {
    const forms = [
      bytesToHex(k),
      bytesToHex(k).toUpperCase(),
      bytesToBase64(k),
      bytesToBase64(k).replace(/=+$/, ""),
    ];
    for (const f of forms) if (text.includes(f)) return f;
  }
  return undefined;
}

describe("sanitizer + leak check properties", () => {
  it("no inserted identifier, IP or key survives any export, and nothing is refused", () => {
    fc.assert(
      fc.property(fc.array(insertion, { minLength: 1, maxLength: 8 }), fc.boolean(), (list, both) => {
        const s = new Session();
        outgoingMissed(s);
        if (both) incomingAnswered(s);
        const secrets: Secrets = { texts: [], keys: [] };
        for (const ins of list) apply(s, ins, secrets);
        const st = sanitizeTrace(s.trace()).trace;
        for (const { label, result } of allExports(st)) {
          expect(result.ok, `${label}: ${!result.ok ? result.error.message : ""}`).toBe(true);
          if (!result.ok) continue;
          const hit = survives(result.output.text, secrets);
          expect(hit, `${label} leaks ${hit}`).toBeUndefined();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("the leak check catches every inserted value when the sanitizer is bypassed", () => {
    fc.assert(
      fc.property(phone, ipv4, key, (p, ip, k) => {
        const s = new Session();
        s.add("in", 1, el("call", { from: `${p}@s.whatsapp.net`, id: "I1", ip }, [el("enc", {}, b(k))]));
        const st = sanitizeTrace(s.trace()).trace;
        for (const leaked of [p, ip, bytesToHex(k), bytesToBase64(k)]) {
          const r = finishOne([st], {
            format: "json",
            text: `x ${leaked} y`,
            fileName: "f",
            mime: "text/plain",
          });
          expect(r.ok, leaked).toBe(false);
        }
      }),
      { numRuns: 50 },
    );
  });
});
