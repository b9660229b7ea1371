#!/usr/bin/env node
/**
 * Self-check of the WA Web simulator: starts the server, opens https://web.whatsapp.com/ in Debian
 * Chromium (playwright-core) with a minimal MAIN-world tap injected before any page script (it chains
 * `__onAfterModuleFactory` and wraps `getCommsConfig` by export shape, like the extension), runs every
 * scenario, prints a per-call table (page and server times, ack latencies) and exits non-zero on failure.
 *
 *   node sim/selfcheck.mjs [--ack-delay 150] [--ring 1500] [--talk 1000] [--chatter 250] [--quiet]
 *                          [--tolerance 40] [--median-tolerance 8]
 * Every server ack must arrive no earlier than ackDelayMs - 1 and no later than ackDelayMs + tolerance
 * after its stanza (page log), and the median no later than ackDelayMs + median-tolerance: transit adds
 * 1-5 ms, and a shared 2-CPU machine adds the odd outlier (the server's own timer error is reported too).
 * Env: CHROMIUM_PATH (default /usr/bin/chromium).
 * @module sim/selfcheck
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startSimulator } from "./server.mjs";

/** Runs before any page script (like the extension's document_start MAIN-world content script). */
const TAP_SCRIPT = `(() => {
  const tap = (window.__tap = { modules: 0, configWrapped: 0, seen: [], errors: [] });
  let pageHook = null;
  const isJid = (v) => v != null && typeof v === "object" && typeof v.getInnerJid === "function";
  const record = (dir, node) => {
    const a = node.attrs || {};
    const kids = Array.isArray(node.content) ? node.content : [];
    const callish = node.tag === "call" || (node.tag === "ack" && String(a.class) === "call") ||
      (node.tag === "receipt" && kids[0] && kids[0].tag === "offer");
    const jidAttrs = {};
    for (const k of ["from", "to", "participant", "recipient"]) if (k in a) jidAttrs[k] = isJid(a[k]);
    const creator = kids[0] && kids[0].attrs ? kids[0].attrs["call-creator"] : undefined;
    tap.seen.push({ t: performance.timeOrigin + performance.now(), dir, tag: node.tag,
      id: a.id == null ? null : String(a.id), callish, jidAttrs,
      creatorIsJid: creator === undefined ? null : isJid(creator),
      contentKind: node.content == null ? "null" : Array.isArray(node.content) ? "array" :
        node.content instanceof Uint8Array ? "bytes" : typeof node.content });
  };
  const onModule = (def) => {
    tap.modules++;
    const ex = def.exports;
    if (!ex || typeof ex.getCommsConfig !== "function") return;
    const original = ex.getCommsConfig;
    ex.getCommsConfig = function (...args) {
      const cfg = original.apply(this, args);
      tap.configWrapped++;
      const h = cfg.handlers;
      const inbound = h.onHandleStanza;
      const outbound = h.onCastStanza;
      h.onHandleStanza = function (node, ...rest) { record("in", node); return inbound.call(this, node, ...rest); };
      h.onCastStanza = function (node, ...rest) { record("out", node); return outbound.call(this, node, ...rest); };
      h.__tapped = true;
      return cfg;
    };
  };
  const ourHook = function (def) {
    try { onModule(def); } catch (e) { tap.errors.push(String(e)); }
    if (typeof pageHook === "function") return pageHook.apply(this, arguments);
  };
  Object.defineProperty(window, "__onAfterModuleFactory", {
    configurable: true,
    get() { return ourHook; },
    set(v) { pageHook = v === ourHook ? null : v; },
  });
})();`;

/** Expected call stanzas per scenario, as `dir tag action` (page's point of view), in any order. */
const EXPECTED = {
  "outgoing-missed": [
    "out call offer",
    "in ack offer",
    "in receipt offer",
    "in receipt offer",
    "out ack receipt",
    "out ack receipt",
    "out call terminate",
    "in ack terminate",
  ],
  "incoming-rejected-busy": [
    "in call offer",
    "out ack offer",
    "out receipt offer",
    "in ack receipt",
    "out call reject",
    "in ack reject",
  ],
  "incoming-answered": [
    "in call offer",
    "out ack offer",
    "out receipt offer",
    "in ack receipt",
    "out call preaccept",
    "in ack preaccept",
    "out call accept",
    "in ack accept",
    "in call transport",
    "out ack transport",
    "in call relaylatency",
    "out ack relaylatency",
    "out call relaylatency",
    "in ack relaylatency",
    "out call transport",
    "in ack transport",
    "out call mute_v2",
    "in ack mute_v2",
    "in call terminate",
    "out ack terminate",
  ],
  "incoming-accepted-elsewhere": [
    "in call offer",
    "out ack offer",
    "out receipt offer",
    "in ack receipt",
    "out call preaccept",
    "in ack preaccept",
    "in call terminate",
    "out ack terminate",
  ],
};

function parseArgs(argv) {
  const o = {
    ackDelayMs: 150,
    ringMs: 1500,
    talkMs: 1000,
    chatterMs: 250,
    tolerance: 40,
    medianTolerance: 8,
    quiet: false,
  };
  const names = {
    "--ack-delay": "ackDelayMs",
    "--ring": "ringMs",
    "--talk": "talkMs",
    "--chatter": "chatterMs",
    "--tolerance": "tolerance",
    "--median-tolerance": "medianTolerance",
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quiet") o.quiet = true;
    else if (names[argv[i]]) o[names[argv[i]]] = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

const sig = (e) =>
  `${e.dir} ${e.tag} ${e.tag === "ack" ? (e.class === "call" ? e.action : e.class) : e.action}`;
const pad = (s, n) => String(s ?? "").padEnd(n);
const padL = (s, n) => String(s ?? "").padStart(n);

/**
 * Runs the self-check; returns the list of failures (empty on success).
 * @param {ReturnType<typeof parseArgs>} opts
 */
async function selfcheck(opts) {
  const failures = [];
  const fail = (msg) => failures.push(msg);
  const sim = await startSimulator({
    ackDelayMs: opts.ackDelayMs,
    ringMs: opts.ringMs,
    talkMs: opts.talkMs,
    chatterMs: opts.chatterMs,
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "wa-sim-selfcheck-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      headless: true,
      ignoreHTTPSErrors: true,
      args: [
        `--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:${sim.port}, MAP * ~NOTFOUND`,
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
      ],
    });
    await context.addInitScript(TAP_SCRIPT);
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.goto(`${sim.origin}/`);
    await page.waitForFunction(() => window.__sim?.ready, null, { timeout: 10000 });
    await page.evaluate(() => window.__sim.ready);
    const t0 = Date.now();
    const results = await page.evaluate(() => window.__sim.runAll());
    const elapsed = Date.now() - t0;
    await page.waitForTimeout(Math.max(300, opts.ackDelayMs * 2));
    // One evaluate, so the page log and the tap are read at the same instant.
    const { pageLog, tap } = await page.evaluate(() => ({ pageLog: window.__sim.log, tap: window.__tap }));
    const shapes = await page.evaluate(checkShapesInPage);
    await sim.sync();
    const serverLog = sim.log.slice();

    // ---- results ----
    const names = results.map((r) => r.name);
    if (JSON.stringify(names) !== JSON.stringify(Object.keys(EXPECTED))) fail(`runAll names ${names}`);
    for (const r of results)
      if (!/^[0-9A-F]{32}$/.test(r.callId ?? "")) fail(`${r.name}: bad call-id ${r.callId}`);
    if (new Set(results.map((r) => r.callId)).size !== results.length) fail("call-ids are not unique");

    // ---- per call ----
    const latencies = [];
    const tables = [];
    for (const { name, callId } of results) {
      const rows = pageLog.filter((e) => e.callId === callId);
      const got = rows.map(sig).sort();
      const want = [...EXPECTED[name]].sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        fail(`${name}: call stanzas differ\n    got  ${got.join(", ")}\n    want ${want.join(", ")}`);
      }
      const first = rows[0];
      if (first?.tag !== "call" || first.action !== "offer") fail(`${name}: first stanza is not the offer`);
      // Server acks of the page's <call>s: latency measured on the page log.
      for (const e of rows.filter((r) => r.dir === "out" && r.tag === "call")) {
        const ack = rows.find((a) => a.dir === "in" && a.tag === "ack" && a.id === e.id);
        if (!ack) {
          fail(`${name}: no ack for ${e.action} ${e.id}`);
          continue;
        }
        const lat = ack.t - e.t;
        e.ackLatency = lat;
        latencies.push(lat);
        if (ack.action !== e.action) fail(`${name}: ack type ${ack.action} for ${e.action}`);
        if (lat < opts.ackDelayMs - 1 || lat > opts.ackDelayMs + opts.tolerance) {
          fail(
            `${name}: ack latency of ${e.action} ${lat.toFixed(1)} ms, want ${opts.ackDelayMs} + a few ms`,
          );
        }
      }
      // The page's acks/receipts for inbound <call>s.
      for (const e of rows.filter((r) => r.dir === "in" && r.tag === "call")) {
        const ack = rows.find((a) => a.dir === "out" && a.tag === "ack" && a.id === e.id);
        if (!ack || ack.action !== e.action || ack.class !== "call")
          fail(`${name}: page did not ack ${e.action} ${e.id}`);
        else e.localAck = ack.t - e.t;
        const receipt = rows.find((a) => a.dir === "out" && a.tag === "receipt" && a.id === e.id);
        if ((e.action === "offer") !== Boolean(receipt))
          fail(`${name}: offer receipt rule broken for ${e.action}`);
      }
      if (name === "outgoing-missed") {
        const term = rows.find((r) => r.tag === "call" && r.action === "terminate");
        if (term?.reason !== "timeout") fail(`${name}: terminate reason ${term?.reason}`);
        if (term && first && term.t - first.t < opts.ringMs - 5) fail(`${name}: terminate before ringMs`);
      }
      if (name === "incoming-rejected-busy" && rows.find((r) => r.action === "reject")?.reason !== "busy") {
        fail(`${name}: reject reason is not busy`);
      }
      if (name === "incoming-accepted-elsewhere") {
        const term = rows.find((r) => r.tag === "call" && r.action === "terminate");
        if (term?.reason !== "accepted_elsewhere") fail(`${name}: terminate reason ${term?.reason}`);
        if (!String(first?.from).endsWith("@lid")) fail(`${name}: offer should come from a LID`);
      }
      // Server view of the same stanzas.
      const srv = serverLog.filter((e) => e.callId === callId);
      if (srv.length !== rows.length)
        fail(`${name}: server logged ${srv.length} call stanzas, page ${rows.length}`);
      const pool = new Map();
      for (const s of srv) {
        const k = `${s.dir === "in" ? "out" : "in"}|${s.tag}|${s.id}|${s.action ?? ""}`;
        pool.set(k, [...(pool.get(k) ?? []), s]);
      }
      for (const e of rows) {
        const k = `${e.dir}|${e.tag}|${e.id}|${e.action ?? ""}`;
        const match = pool.get(k)?.shift();
        if (!match) fail(`${name}: server did not log ${sig(e)} ${e.id}`);
        e.serverT = match?.t;
      }
      tables.push({ name, callId, rows });
    }

    if (latencies.length) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      if (median > opts.ackDelayMs + opts.medianTolerance) {
        fail(`median ack latency ${median.toFixed(1)} ms, want ≤ ${opts.ackDelayMs + opts.medianTolerance}`);
      }
    }

    // ---- chatter: present, in both directions, never tied to a call ----
    const chatter = pageLog.filter((e) => !e.callId);
    const need = [
      "in message",
      "out message",
      "in presence",
      "out presence",
      "in iq",
      "out iq",
      "in notification",
      "in ack message",
      "out ack message",
      "in receipt",
      "out receipt",
    ];
    const kinds = new Set(chatter.map((e) => `${e.dir} ${e.tag}${e.tag === "ack" ? ` ${e.class}` : ""}`));
    if (opts.chatterMs > 0)
      for (const k of need) if (!kinds.has(k)) fail(`chatter: no "${k}" in the page log`);
    const callIds = new Set(results.map((r) => r.callId));
    const callStanzaIds = new Set(pageLog.filter((e) => e.callId).map((e) => e.id));
    for (const e of chatter) {
      if (e.tag === "call" || (e.tag === "ack" && e.class === "call"))
        fail(`call stanza without call-id: ${sig(e)}`);
      if (callIds.has(e.id) || callStanzaIds.has(e.id)) fail(`chatter id ${e.id} collides with a call`);
    }

    // ---- transport & server ----
    if (sim.stats.errors.length) fail(`server errors: ${sim.stats.errors.join("; ")}`);
    if (!sim.stats.splitMessages) fail("server never split a WebSocket message");
    if (!sim.stats.coalescedMessages) fail("server never coalesced frames");
    if (opts.chatterMs > 0 && !sim.stats.compressedFrames) fail("server never sent a compressed frame");

    // ---- runtime and module shapes ----
    for (const s of shapes.failures) fail(`shape: ${s}`);

    // ---- the tap ----
    if (tap.errors.length) fail(`tap errors: ${tap.errors.join("; ")}`);
    if (tap.configWrapped < 1) fail("tap never wrapped getCommsConfig");
    if (!shapes.handlersTapped) fail("getComms().config.handlers are not the tap-wrapped ones");
    const tapCall = tap.seen
      .filter((e) => e.callish)
      .map((e) => `${e.dir}|${e.tag}|${e.id}`)
      .sort();
    const logCall = pageLog
      .filter(
        (e) =>
          e.tag === "call" || (e.tag === "ack" && e.class === "call") || (e.tag === "receipt" && e.callId),
      )
      .map((e) => `${e.dir}|${e.tag}|${e.id}`)
      .sort();
    if (JSON.stringify(tapCall) !== JSON.stringify(logCall)) {
      fail(`tap saw ${tapCall.length} call stanzas, page log has ${logCall.length}`);
    }
    if (tap.seen.length !== pageLog.length)
      fail(`tap saw ${tap.seen.length} stanzas, page log ${pageLog.length}`);
    for (const e of tap.seen) {
      for (const [k, isJid] of Object.entries(e.jidAttrs)) {
        if (!isJid) fail(`tap: ${e.dir} <${e.tag} ${k}> is not a WapJid`);
      }
      if (e.creatorIsJid === false) fail(`tap: ${e.dir} <${e.tag}> call-creator is not a WapJid`);
      if (!["null", "array", "bytes"].includes(e.contentKind)) fail(`tap: content kind ${e.contentKind}`);
    }
    const relevantErrors = pageErrors.filter((m) => !/WebSocket connection to .*:5222/.test(m));
    if (relevantErrors.length) fail(`page errors: ${relevantErrors.join(" | ")}`);

    // ---- report ----
    if (!opts.quiet) {
      for (const { name, callId, rows } of tables) {
        const base = rows[0]?.t ?? 0;
        console.log(`\n${name}  call-id ${callId}`);
        console.log(
          `  ${pad("page ms", 8)} ${pad("srv ms", 8)} ${pad("dir", 4)} ${pad("stanza", 22)} ${pad("id", 18)} note`,
        );
        for (const e of rows) {
          const note = [];
          if (e.ackLatency != null) note.push(`server ack ${e.ackLatency.toFixed(1)} ms`);
          if (e.localAck != null) note.push(`acked in ${e.localAck.toFixed(1)} ms`);
          if (e.reason) note.push(`reason=${e.reason}`);
          const stanza = `${e.tag} ${e.tag === "ack" ? (e.class === "call" ? e.action : e.class) : (e.action ?? "")}`;
          console.log(
            `  ${padL((e.t - base).toFixed(1), 8)} ${padL(e.serverT != null ? (e.serverT - base).toFixed(1) : "-", 8)} ` +
              `${pad(e.dir === "out" ? "→" : "←", 4)} ${pad(stanza, 22)} ${pad(e.id, 18)} ${note.join(", ")}`,
          );
        }
      }
      const count = (log, dir) => {
        const m = new Map();
        for (const e of log.filter((x) => !x.callId && x.dir === dir)) {
          const k = e.tag === "ack" ? `ack/${e.class}` : e.tag;
          m.set(k, (m.get(k) ?? 0) + 1);
        }
        return [...m].map(([k, v]) => `${k}×${v}`).join(" ");
      };
      console.log(`\nchatter page→server: ${count(pageLog, "out")}`);
      console.log(`chatter server→page: ${count(pageLog, "in")}`);
      console.log(
        `server: ${serverLog.length} stanzas logged, ${sim.stats.connections} sockets, ${sim.stats.wsMessagesSent} ws ` +
          `messages (${sim.stats.splitMessages} split, ${sim.stats.coalescedMessages} coalesced), ` +
          `${sim.stats.compressedFrames} compressed frames, ack timers late by ≤ ${sim.stats.maxAckTimerLateMs.toFixed(1)} ms`,
      );
      console.log(
        `tap: ${tap.modules} module factories seen, getCommsConfig wrapped ${tap.configWrapped}×, ` +
          `${tap.seen.length} stanzas (${tapCall.length} call-related)`,
      );
      if (latencies.length) {
        const min = Math.min(...latencies).toFixed(1);
        const max = Math.max(...latencies).toFixed(1);
        console.log(
          `server ack latency (page log): ${latencies.length} acks, ${min}–${max} ms (ackDelayMs ${opts.ackDelayMs})`,
        );
      }
      console.log(`runAll took ${elapsed} ms; version ${shapes.version}`);
    }
  } finally {
    await context?.close().catch(() => {});
    await sim.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return failures;
}

/** Evaluated in the page: checks the runtime and module shapes of runtime doc §1-§3. */
async function checkShapesInPage() {
  const failures = [];
  const check = (cond, msg) => {
    if (!cond) failures.push(msg);
  };
  const dbg = window.require("__debug");
  const mm = dbg.modulesMap;
  for (const name of [
    "WAWap",
    "WAWapJid",
    "WAWapDict",
    "WAComms",
    "WAWebCommsConfig",
    "WAWebCommsHandleStanza",
    "WAWebVoipSendSignalingXmpp",
    "WAWebStartBackend",
    "WACryptoDependencies",
    "WAWebBuildConstants",
  ]) {
    const d = mm[name];
    check(d?.factoryFinished && "exports" in d && "defaultExport" in d, `${name} not finished in modulesMap`);
  }
  check(typeof window.__d === "function" && typeof window.importNamespace === "function", "globals missing");
  check(window.__d_stub === undefined, "__d_stub not deleted");
  const handle = window.require("WAWebCommsHandleStanza");
  check(typeof handle === "function", "require(WAWebCommsHandleStanza) is not the function");
  check(window.importNamespace("WAWebCommsHandleStanza").default === handle, "importNamespace().default");
  check(window.importDefault("WAWebCommsHandleStanza") === handle, "importDefault");
  check(window.importDefault("WAWap") === null, "importDefault of a module without default should be null");
  const before = dbg.getDupCount();
  window.__d("WAWap", [], () => {}, 98);
  check(dbg.getDupCount() === before + 1 && window.require("WAWap").encodeStanza, "redefinition not ignored");
  const W = window.importNamespace("WAWap");
  const bytes = W.encodeStanza(W.wap("iq", { id: W.generateId(), to: W.S_WHATSAPP_NET, type: "get" }));
  check(bytes instanceof Uint8Array && bytes[0] === 0, "encodeStanza flags byte");
  let threw = false;
  try {
    W.decodeStanza(new Uint8Array([0, 0xf8]), (x) => x);
  } catch {
    threw = true;
  }
  check(threw, "decodeStanza must throw synchronously on a bad frame");
  const p = W.decodeStanza(bytes.buffer, (x) => x);
  check(p instanceof Promise, "decodeStanza must return a Promise");
  const node = await p;
  check(node instanceof W.WapNode && node.content === null, "decoded WapNode");
  check(node.attrs.to instanceof W.WapJid && node.attrs.to.toString() === "s.whatsapp.net", "to is a WapJid");
  check(/^\d+\.\d+-\d+$/.test(W.generateId()), "generateId format");
  const J = window.importNamespace("WAWapJid");
  check(J.WapJid.createJidU("123", J.DomainType.LID, 7).toString() === "123:7@lid", "type 1 toString");
  check(J.WapJid.createJidU("123", 0, 0).toString() === "123@s.whatsapp.net", "type 1 device 0");
  check(J.WapJid.createFbJid("5", 2).toString() === "5:2@msgr", "type 3 toString");
  check(J.WapJid.createInteropJid("7", 2, 12).toString() === "12-7:2@interop", "type 4 toString");
  check(W.JID("1:0@s.whatsapp.net").getInnerJid().type === 0, "JID() device 0 is type 0");
  check(typeof W.JID("1:3@s.whatsapp.net").getInnerJid === "function", "JID() builds WapJid");
  check(window.importNamespace("WAWapDict").SINGLE_BYTE_TOKEN[0x64 - 1] === "call", "WAWapDict token table");
  const cfgMod = window.importNamespace("WAWebCommsConfig");
  const configA = cfgMod.getCommsConfig({});
  const configB = cfgMod.getCommsConfig({});
  check(
    configA !== configB && configA.handlers !== configB.handlers,
    "getCommsConfig must return a new object",
  );
  const comms = window.importNamespace("WAComms").getComms();
  check(
    comms.config && typeof comms.config.handlers.onHandleStanza === "function",
    "getComms().config.handlers",
  );
  check(Array.isArray(comms.ackHandlers), "ackHandlers");
  check(typeof comms.deprecatedSendStanzaAndReturnAck === "function", "deprecatedSendStanzaAndReturnAck");
  check(/^2\.3000\.\d+$/.test(window.Debug?.VERSION ?? ""), "window.Debug.VERSION");
  return {
    failures,
    handlersTapped: comms.config.handlers.__tapped === true,
    version: window.Debug?.VERSION,
  };
}

const opts = parseArgs(process.argv.slice(2));
let failures;
try {
  failures = await selfcheck(opts);
} catch (err) {
  failures = [`crashed: ${err?.stack ?? err}`];
}
if (failures.length) {
  console.log(`\nSELFCHECK FAILED (${failures.length}):`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log("\nSELFCHECK PASSED");
