#!/usr/bin/env node
/**
 * Self-check of the WA Web simulator, in every mode (sim/page/modes.js) or the ones asked for.
 *
 * For each mode it starts the server, opens https://web.whatsapp.com/?<mode> in Debian Chromium (driven
 * over the DevTools protocol, sim/lib/cdp.mjs) with the taps of sim/lib/tap.mjs injected before any
 * page script and, with comms in the worker, into the backend worker before its script (the worker is
 * auto-attached paused, as chrome.debugger would), runs every scenario the page offers
 * (`__sim.runAll("all")`), and checks: the call stanzas of each scenario, ack latencies, the page log
 * against the server log (every stanza, both sockets, across the reconnect), chatter, the runtime and
 * module shapes, what each tap can and cannot see in that mode, the dictionary on the wire, and the
 * server's transport behaviour. It prints a summary line per mode (and, with --verbose, the per-call
 * tables), and exits non-zero on any failure.
 *
 *   node sim/selfcheck.mjs [--mode all|main|<query>]... [--repeat N] [--ack-delay 150] [--ring 1500]
 *                          [--talk 1000] [--chatter 250] [--tolerance 40] [--median-tolerance 8]
 *                          [--max-outliers 2] [--strict-timing] [--verbose]
 *
 * `--mode` takes a query string such as `comms=worker&dict=alt&sockets=2` (repeatable); `main` is the
 * default page; without `--mode`, every mode of `ALL_MODES` runs. Every server ack must arrive no
 * earlier than ackDelayMs - 1 after its stanza (page log), the median no later than ackDelayMs +
 * median-tolerance, and at most max-outliers acks per mode later than ackDelayMs + tolerance (none
 * later than + 1 s): transit adds 1-5 ms, and a shared 2-CPU machine adds the odd outlier. While the
 * machine is overloaded (1-minute load average above 1.5 per CPU) these latency checks are printed as
 * warnings and do not fail the run, unless --strict-timing. Env: CHROMIUM_PATH (default /usr/bin/chromium).
 * @module sim/selfcheck
 */
import os from "node:os";
import * as bridge from "whatsapp-rust-bridge";
import { launchChromium, openPage } from "./lib/cdp.mjs";
import { decodeAsV3, decryptTransport, TAP_SCRIPT } from "./lib/tap.mjs";
import { dictCodec } from "./page/dict.js";
import { codecModuleName, parseModes } from "./page/modes.js";
import { MORE_SCENARIOS, SCENARIOS } from "./page/shared.js";
import { startSimulator } from "./server.mjs";

/**
 * The modes `--mode all` (the default) runs: the 2026 profile (the default page) with each switch
 * alone, then combinations, then the legacy profile (`wa=legacy`) alone and with comms in the worker
 * and hidden modules.
 */
export const ALL_MODES = Object.freeze([
  "",
  "comms=worker",
  "comms=worker&worker=classic",
  "comms=worker&gate=qex",
  "names=renamed",
  "modules=hidden",
  "dict=alt",
  "dict=unknown",
  "sockets=2",
  "comms=worker&dict=alt&sockets=2",
  "modules=hidden&dict=alt&sockets=2",
  "comms=worker&modules=hidden&dict=unknown",
  "comms=worker&worker=classic&names=renamed&sockets=2",
  "wa=legacy",
  "wa=legacy&comms=worker",
  "wa=legacy&modules=hidden",
]);

/** The 2026 profile's late bundle arrives this long after boot in the self-check (`?lateBundleMs=`). */
const SELFCHECK_LATE_BUNDLE_MS = 4000;

/** Modules of the 2026 VoIP bundle: registered only once the first call starts. */
const VOIP_MODULES = ["WAWebVoipIncomingSignaling", "WAWebVoipSendSignalingXmpp", "WAWebVoipStackInterface"];

/** Modules of the 2026 late bundle. */
const LATE_MODULES = ["WAWebStickerPackCollection", "WAWebPollVoteTally", "WAWebNewsletterDirectoryCache"];

/** Call actions: the tags of VoIP engine payloads (decoded by WAWebVoipSendSignalingXmpp). */
const CALL_ACTIONS = new Set([
  "offer",
  "terminate",
  "reject",
  "preaccept",
  "accept",
  "relaylatency",
  "transport",
  "mute_v2",
]);

const MISSED = [
  "out call offer",
  "in ack offer",
  "in receipt offer",
  "in receipt offer",
  "out ack receipt",
  "out ack receipt",
  "out call terminate",
  "in ack terminate",
];

/** Expected call stanzas per scenario, as `dir tag action` (page's point of view), in any order. */
const EXPECTED = {
  "outgoing-missed": MISSED,
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
  "outgoing-reconnect": MISSED,
  "incoming-second-socket": [
    "in call offer",
    "out ack offer",
    "out receipt offer",
    "in ack receipt",
    "in call terminate",
    "out ack terminate",
  ],
};

/** Chatter kinds (`dir tag[ ackclass]`) each connection must carry. */
const CHATTER_PRIMARY = [
  "in message",
  "out message",
  "in presence",
  "out presence",
  "in iq",
  "out iq",
  "in notification",
  "out ack notification",
  "in ack message",
  "out ack message",
  "in receipt",
  "out receipt",
];
const CHATTER_SECONDARY = [
  "in message",
  "out ack message",
  "out receipt",
  "in presence",
  "out presence",
  "in iq",
  "out iq",
  "in notification",
  "out ack notification",
];

/**
 * Above this 1-minute load average per CPU (other builds and browsers on a shared machine), latency
 * failures are reported as warnings instead of failures, unless --strict-timing.
 */
const LOAD_PER_CPU_LIMIT = 1.5;

/** No ack may be later than ackDelayMs + this, outlier or not. */
const OUTLIER_CAP_MS = 1000;

/** Page-log entries this close (ms) to a drop or to the end of the run are not required to match. */
const SETTLE_MS = 1500;

function parseArgs(argv) {
  const o = {
    ackDelayMs: 150,
    ringMs: 1500,
    talkMs: 1000,
    chatterMs: 250,
    tolerance: 40,
    medianTolerance: 8,
    maxOutliers: 2,
    strictTiming: false,
    quiet: false,
    verbose: false,
    repeat: 1,
    modes: [],
  };
  const names = {
    "--ack-delay": "ackDelayMs",
    "--ring": "ringMs",
    "--talk": "talkMs",
    "--chatter": "chatterMs",
    "--tolerance": "tolerance",
    "--median-tolerance": "medianTolerance",
    "--max-outliers": "maxOutliers",
    "--repeat": "repeat",
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--quiet") o.quiet = true;
    else if (flag === "--verbose") o.verbose = true;
    else if (flag === "--strict-timing") o.strictTiming = true;
    else if (flag === "--mode") {
      const m = value();
      if (m === "all") o.modes.push(...ALL_MODES);
      else o.modes.push(m === "main" || m === "default" ? "" : m.replace(/^\?/, ""));
    } else if (names[flag]) o[names[flag]] = Number(value());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!o.modes.length) o.modes.push(...ALL_MODES);
  return o;
}

const sig = (e) =>
  `${e.dir} ${e.tag} ${e.tag === "ack" ? (e.class === "call" ? e.action : e.class) : e.action}`;
const pad = (s, n) => String(s ?? "").padEnd(n);
const padL = (s, n) => String(s ?? "").padStart(n);
const key = (e) => `${e.dir}|${e.tag}|${e.id ?? ""}`;
const flip = (e) => ({ ...e, dir: e.dir === "in" ? "out" : "in" });
const isCallish = (e) =>
  e.tag === "call" ||
  (e.tag === "ack" && e.class === "call") ||
  (e.tag === "receipt" && e.action === "offer");

/**
 * Multiset difference: the entries of `want` (filtered by `required`) with no partner in `have`.
 * @returns {any[]}
 */
function unmatched(want, have, required = () => true) {
  const pool = new Map();
  for (const h of have) pool.set(key(h), (pool.get(key(h)) ?? 0) + 1);
  const missing = [];
  for (const w of want) {
    const k = key(w);
    const n = pool.get(k) ?? 0;
    if (n > 0) pool.set(k, n - 1);
    else if (required(w)) missing.push(w);
  }
  return missing;
}

/**
 * Runs one mode; returns `{failures, summary}`.
 * @param {import("playwright-core").Browser} browser
 * @param {string} query the mode's query string ("" for the default page)
 * @param {ReturnType<typeof parseArgs>} opts
 * @param {boolean} printTables
 */
async function checkMode(query, opts, printTables) {
  const failures = [];
  const fail = (msg) => failures.push(msg);
  // Latency checks measure the machine as much as the simulator: they count only while the machine
  // is not overloaded (see LOAD_PER_CPU_LIMIT), unless --strict-timing.
  const timing = [];
  const failTiming = (msg) => timing.push(msg);
  let load = os.loadavg()[0];
  const modes = parseModes(query);
  const wa2026 = modes.wa !== "legacy";
  const codecName = codecModuleName(modes);
  const renamed = codecName !== "WAWap";
  const codec = dictCodec(modes.dictVersion, bridge);
  const sim = await startSimulator({
    ackDelayMs: opts.ackDelayMs,
    ringMs: opts.ringMs,
    talkMs: opts.talkMs,
    chatterMs: opts.chatterMs,
  });
  let cdp;
  const summary = { mode: query || "main" };
  try {
    cdp = await launchChromium({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        `--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:${sim.port}, MAP * ~NOTFOUND`,
        "--ignore-certificate-errors",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
      ],
    });
    const page = await openPage(cdp, { initScript: TAP_SCRIPT, workerScript: TAP_SCRIPT });
    const pageErrors = page.errors;
    const injections = page.workers;
    const pageQuery = new URLSearchParams(query);
    if (wa2026 && !pageQuery.has("lateBundleMs"))
      pageQuery.set("lateBundleMs", String(SELFCHECK_LATE_BUNDLE_MS));
    await page.goto(`${sim.origin}/${pageQuery.size ? `?${pageQuery}` : ""}`);
    await page.waitFor("window.__sim && window.__sim.ready", 10000);
    await page.evaluate("window.__sim.ready.then(() => true)");
    // 2026: no VoIP module is registered before the first call (page, and worker).
    const voipBefore = wa2026 ? await page.evaluate(registeredOf, VOIP_MODULES) : [];
    const workerVoipBefore =
      wa2026 && modes.comms === "worker" && page.workers[0]
        ? await page.evaluate(registeredOf, VOIP_MODULES, page.workers[0].sessionId)
        : [];
    const t0 = Date.now();
    const results = await page.evaluate("window.__sim.runAll('all')");
    summary.runAllMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, Math.max(300, opts.ackDelayMs * 2)));
    // One evaluate, so the page log and the taps are read at the same instant.
    const state = await page.evaluate(() => ({
      pageLog: window.__sim.log,
      tap: window.__tap,
      config: window.__sim.config,
      scenarios: window.__sim.scenarios,
      moreScenarios: window.__sim.moreScenarios,
      session: window.__sim.session,
      echoes: window.__sim.echoes?.() ?? null,
      footprint: window.__sim.footprint?.() ?? null,
      bundles: window.__sim.bundles?.() ?? null,
      readAt: performance.timeOrigin + performance.now(),
    }));
    const workerFootprint = wa2026 ? await page.evaluate("window.__sim.workerFootprint()") : null;
    const voipAfter = wa2026 ? await page.evaluate(registeredOf, [...VOIP_MODULES, ...LATE_MODULES]) : [];
    const { pageLog, tap } = state;
    const cutoff = state.readAt - SETTLE_MS;
    const worker = modes.comms === "worker" ? page.workers[0] : null;
    const wstate = worker ? await page.evaluate(checkShapesInWorker, modes, worker.sessionId) : null;
    const shapes = modes.modules === "visible" ? await page.evaluate(checkShapesInPage, modes) : null;
    const wantNames = [...VOIP_MODULES, ...LATE_MODULES];
    const hiddenInfo = await page.evaluate(checkHiddenGlobals);
    await sim.sync();
    const serverLog = sim.log.filter((e) => e.session === state.session);
    const stats = sim.stats;
    const dropTimes = [...(stats.dropTimes ?? [])];
    const settled = (e) => e.t < cutoff && !dropTimes.some((d) => Math.abs(e.t - d) < SETTLE_MS);

    // ---- config ----
    const c = state.config;
    for (const k of ["comms", "modules", "dict", "dictVersion", "sockets", "wa"])
      if (c[k] !== modes[k]) fail(`__sim.config.${k} is ${c[k]}, want ${modes[k]}`);
    if (wa2026) {
      for (const k of ["worker", "gate", "names", "inflate", "ed"])
        if (c[k] !== modes[k]) fail(`__sim.config.${k} is ${c[k]}, want ${modes[k]}`);
    }
    if (JSON.stringify(state.scenarios) !== JSON.stringify(SCENARIOS))
      fail(`__sim.scenarios ${state.scenarios}`);
    const wantMore = MORE_SCENARIOS.filter((n) => n !== "incoming-second-socket" || modes.sockets === 2);
    if (JSON.stringify(state.moreScenarios) !== JSON.stringify(wantMore))
      fail(`__sim.moreScenarios ${state.moreScenarios}`);

    // ---- results ----
    const names = results.map((r) => r.name);
    if (JSON.stringify(names) !== JSON.stringify([...SCENARIOS, ...wantMore])) fail(`runAll names ${names}`);
    for (const r of results)
      if (!/^[0-9A-F]{32}$/.test(r.callId ?? "")) fail(`${r.name}: bad call-id ${r.callId}`);
    if (new Set(results.map((r) => r.callId)).size !== results.length) fail("call-ids are not unique");

    // ---- per call ----
    const latencies = [];
    const outliers = [];
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
        if (ack.socketId !== e.socketId) fail(`${name}: ${e.action} acked on another socket`);
        if (lat < opts.ackDelayMs - 1) {
          // The page logs a send when it resolved; a busy page can log it late.
          failTiming(`${name}: ack of ${e.action} after ${lat.toFixed(1)} ms, earlier than ackDelayMs`);
        } else if (lat > opts.ackDelayMs + OUTLIER_CAP_MS) {
          failTiming(
            `${name}: ack latency of ${e.action} ${lat.toFixed(1)} ms, want ${opts.ackDelayMs} + a few ms`,
          );
        } else if (lat > opts.ackDelayMs + opts.tolerance)
          outliers.push(`${name} ${e.action} ${lat.toFixed(1)} ms`);
      }
      for (const e of rows.filter((r) => r.dir === "in" && r.tag === "call")) {
        const ack = rows.find((a) => a.dir === "out" && a.tag === "ack" && a.id === e.id);
        if (!ack || ack.action !== e.action || ack.class !== "call")
          fail(`${name}: page did not ack ${e.action} ${e.id}`);
        else e.localAck = ack.t - e.t;
        const receipt = rows.find((a) => a.dir === "out" && a.tag === "receipt" && a.id === e.id);
        if ((e.action === "offer") !== Boolean(receipt))
          fail(`${name}: offer receipt rule broken for ${e.action}`);
      }
      const term = rows.find((r) => r.tag === "call" && r.action === "terminate");
      if (name === "outgoing-missed" || name === "outgoing-reconnect") {
        if (term?.reason !== "timeout") fail(`${name}: terminate reason ${term?.reason}`);
        if (term && first && term.t - first.t < opts.ringMs - 5) fail(`${name}: terminate before ringMs`);
      }
      if (name === "outgoing-reconnect") {
        if (!term || term.socketId === first?.socketId || term.role !== "primary")
          fail(`${name}: the terminate did not travel on a new primary socket`);
        const srvConns = new Set(
          serverLog.filter((e) => e.callId === callId && e.tag === "call").map((e) => e.conn),
        );
        if (srvConns.size !== 2)
          fail(`${name}: server saw the call on ${srvConns.size} connection(s), want 2`);
      }
      if (name === "incoming-second-socket") {
        if (rows.some((r) => r.role !== "secondary" || r.socketId <= 100))
          fail(`${name}: stanzas outside the second socket`);
        if (term?.reason !== "timeout") fail(`${name}: terminate reason ${term?.reason}`);
        if (serverLog.some((e) => e.callId === callId && e.role !== "secondary"))
          fail(`${name}: server played it outside the passive connection`);
      } else if (rows.some((r) => r.role !== "primary")) fail(`${name}: stanzas on the second socket`);
      if (name === "incoming-rejected-busy" && rows.find((r) => r.action === "reject")?.reason !== "busy") {
        fail(`${name}: reject reason is not busy`);
      }
      if (name === "incoming-accepted-elsewhere") {
        if (term?.reason !== "accepted_elsewhere") fail(`${name}: terminate reason ${term?.reason}`);
        if (!String(first?.from).endsWith("@lid")) fail(`${name}: offer should come from a LID`);
      }
      if (modes.comms === "worker" && rows.some((r) => r.ctx !== "worker"))
        fail(`${name}: page log entries not from the worker`);
      // Server view of the same stanzas; on the server's clock no ack leaves before ackDelayMs.
      const srv = serverLog.filter((e) => e.callId === callId);
      for (const c of srv.filter((e) => e.dir === "in" && e.tag === "call")) {
        const ack = srv.find((a) => a.dir === "out" && a.tag === "ack" && a.id === c.id);
        if (ack && ack.t - c.t < opts.ackDelayMs - 0.5)
          fail(`${name}: server acked ${c.action} after ${(ack.t - c.t).toFixed(2)} ms`);
      }
      if (srv.length !== rows.length)
        fail(`${name}: server logged ${srv.length} call stanzas, page ${rows.length}`);
      const pool = new Map();
      for (const s of srv) {
        const k = `${s.dir === "in" ? "out" : "in"}|${s.tag}|${s.id}|${s.action ?? ""}`;
        pool.set(k, [...(pool.get(k) ?? []), s]);
      }
      for (const e of rows) {
        const match = pool.get(`${e.dir}|${e.tag}|${e.id}|${e.action ?? ""}`)?.shift();
        if (!match) fail(`${name}: server did not log ${sig(e)} ${e.id}`);
        e.serverT = match?.t;
      }
      tables.push({ name, callId, rows });
    }
    if (latencies.length) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      summary.latency = `${sorted[0].toFixed(1)}/${median.toFixed(1)}/${sorted.at(-1).toFixed(1)}`;
      if (median > opts.ackDelayMs + opts.medianTolerance) {
        failTiming(
          `median ack latency ${median.toFixed(1)} ms, want ≤ ${opts.ackDelayMs + opts.medianTolerance}`,
        );
      }
    }
    if (outliers.length > opts.maxOutliers)
      failTiming(
        `${outliers.length} ack latencies above ackDelayMs + ${opts.tolerance} ms: ${outliers.join(", ")}`,
      );
    else if (outliers.length) summary.outliers = outliers;

    // ---- every stanza: page log ↔ server log (both sockets, across the drop) ----
    const serverAsPage = serverLog.map(flip);
    const lostOnPage = unmatched(serverAsPage.filter(settled), pageLog);
    const lostOnServer = unmatched(pageLog.filter(settled), serverAsPage);
    if (lostOnPage.length)
      fail(`page log misses ${lostOnPage.length} server stanzas: ${lostOnPage.slice(0, 5).map(sig)}`);
    if (lostOnServer.length)
      fail(`server log misses ${lostOnServer.length} page stanzas: ${lostOnServer.slice(0, 5).map(sig)}`);
    summary.stanzas = `${pageLog.length} page / ${serverLog.length} server`;

    // ---- chatter ----
    const chatter = pageLog.filter((e) => !e.callId);
    const kinds = (role) =>
      new Set(
        chatter
          .filter((e) => e.role === role)
          .map((e) => `${e.dir} ${e.tag}${e.tag === "ack" ? ` ${e.class}` : ""}`),
      );
    if (opts.chatterMs > 0) {
      const primary = kinds("primary");
      for (const k of CHATTER_PRIMARY) if (!primary.has(k)) fail(`chatter: no "${k}" on the primary socket`);
      if (modes.sockets === 2) {
        const secondary = kinds("secondary");
        for (const k of CHATTER_SECONDARY)
          if (!secondary.has(k)) fail(`chatter: no "${k}" on the second socket`);
      }
    }
    if (modes.sockets === 1 && pageLog.some((e) => e.role !== "primary")) fail("stanzas on a second socket");
    const callIds = new Set(results.map((r) => r.callId));
    const callStanzaIds = new Set(pageLog.filter((e) => e.callId).map((e) => e.id));
    for (const e of chatter) {
      if (e.tag === "call" || (e.tag === "ack" && e.class === "call"))
        fail(`call stanza without call-id: ${sig(e)}`);
      if (callIds.has(e.id) || callStanzaIds.has(e.id)) fail(`chatter id ${e.id} collides with a call`);
    }

    // ---- server transport & dictionary ----
    if (stats.errors.length) fail(`server errors: ${stats.errors.join("; ")}`);
    if (!stats.splitMessages) fail("server never split a WebSocket message");
    if (!stats.coalescedMessages) fail("server never coalesced frames");
    if (opts.chatterMs > 0 && !stats.compressedFrames) fail("server never sent a compressed frame");
    if (stats.drops !== 1) fail(`server dropped ${stats.drops} sockets, want 1 (outgoing-reconnect)`);
    const versions = Object.keys(stats.dictVersions ?? {}).map(Number);
    if (versions.length !== 1 || versions[0] !== modes.dictVersion)
      fail(`headers announced dictionaries ${versions}, want ${modes.dictVersion}`);
    const wantConns = 2 + (modes.sockets === 2 ? 1 : 0);
    if ((stats.dictVersions?.[modes.dictVersion] ?? 0) < wantConns)
      fail(`${stats.dictVersions?.[modes.dictVersion]} connections sent a header, want ≥ ${wantConns}`);
    if (modes.dictVersion === 3 ? stats.remappedFrames !== 0 : stats.remappedFrames === 0)
      fail(`server re-mapped ${stats.remappedFrames} frames`);
    if (stats.remappedFramesChanged !== stats.remappedFrames)
      fail(`only ${stats.remappedFramesChanged} of ${stats.remappedFrames} re-mapped frames differ from v3`);

    // ---- 2026: late and on-demand modules, the engine echo, the footprint ----
    if (wa2026) {
      if (modes.modules === "visible") {
        if (voipBefore.length) fail(`VoIP modules registered before the first call: ${voipBefore}`);
        if (workerVoipBefore.length)
          fail(`worker: VoIP modules registered before the first call: ${workerVoipBefore}`);
        const missing = wantNames.filter((n) => !voipAfter.includes(n));
        if (missing.length) fail(`modules not registered after the calls and the late bundle: ${missing}`);
      }
      const names = (state.bundles ?? []).filter((b) => b.ctx === "page").map((b) => b.name);
      if (!names.includes("voip") || !names.includes("late"))
        fail(`on-demand bundles loaded on the page: ${names}, want voip and late`);
      checkEchoes(state.echoes, pageLog, tap, modes, fail, summary);
      checkFootprint(state.footprint, "page", fail);
      if (modes.comms === "worker") checkFootprint(workerFootprint, "worker", fail);
    }

    // ---- shapes ----
    for (const s of shapes?.failures ?? []) fail(`shape: ${s}`);
    for (const s of wstate?.failures ?? []) fail(`worker shape: ${s}`);
    for (const s of hiddenFailures(hiddenInfo, modes)) fail(s);
    summary.version = shapes?.version ?? hiddenInfo.version;

    // ---- the page's module tap ----
    if (tap.errors.length) fail(`page tap errors: ${tap.errors.join("; ")}`);
    if (modes.modules === "hidden") {
      if (tap.modules || tap.configWrapped || tap.codecWrapped)
        fail(`hidden modules: the page tap found ${tap.modules} module factories`);
      for (const name of ["__onAfterModuleFactory", "__onBeforeModuleFactory", "ErrorGuard", "TimeSlice"])
        if (tap.reads[name]) fail(`hidden modules: ${name} was read ${tap.reads[name]}×`);
    } else {
      if (!tap.reads.__onAfterModuleFactory) fail("__onAfterModuleFactory was never read");
      if (renamed) {
        if (tap.configWrapped) fail(`names=renamed: a module exports getCommsConfig (${tap.configWrapped}×)`);
      } else if (tap.configWrapped < 1) fail("tap never wrapped getCommsConfig");
      if (tap.codecWrapped !== 1) fail(`tap wrapped ${tap.codecWrapped} codec modules`);
    }
    if (modes.modules === "visible" && modes.comms === "main" && renamed) {
      if (tap.seen.length) fail(`names=renamed: config handlers saw ${tap.seen.length} stanzas`);
    } else if (modes.modules === "visible" && modes.comms === "main") {
      if (!shapes.handlersTapped) fail("getComms().config.handlers are not the tap-wrapped ones");
      if (tap.seen.length !== pageLog.length)
        fail(`config tap saw ${tap.seen.length} stanzas, page log ${pageLog.length}`);
      const tapCall = tap.seen.filter(isCallish).map(key).sort();
      const logCall = pageLog.filter(isCallish).map(key).sort();
      if (JSON.stringify(tapCall) !== JSON.stringify(logCall))
        fail(`config tap saw ${tapCall.length} call stanzas, page log has ${logCall.length}`);
      checkJids(tap.seen, "config tap", fail);
    }
    if (modes.comms === "worker") {
      if (tap.seen.length) fail(`worker mode: the page's config handlers saw ${tap.seen.length} stanzas`);
      if (modes.modules === "visible") checkWorkerCodecTap(tap, pageLog, settled, modes, fail, summary);
    }

    // ---- transport: page, or worker ----
    const pageSubtle = Object.values(tap.subtle).reduce((a, b) => a + b, 0);
    const owner = modes.comms === "worker" ? wstate?.tap : tap;
    if (modes.comms === "worker") {
      if (tap.sockets.length) fail(`worker mode: ${tap.sockets.length} WebSockets were opened on the page`);
      if (pageSubtle) fail(`worker mode: ${pageSubtle} crypto.subtle calls on the page`);
      if (tap.aesKeys.length) fail(`worker mode: ${tap.aesKeys.length} AES keys imported on the page`);
      checkWorkerCreation(tap, sim.origin, modes, fail);
      if (injections.length !== 1 || !injections[0].ok)
        fail(`CDP: ${injections.length} worker injections (${injections.map((i) => i.error ?? "ok")})`);
      else if (owner && (owner.reads.__onAfterModuleFactory ?? 0) === 0 && modes.modules === "visible")
        fail("the worker tap was not in place before the worker's runtime booted");
      if (!owner) fail("no tap data from the worker");
      else {
        if (owner.errors.length) fail(`worker tap errors: ${owner.errors.join("; ")}`);
        if (modes.modules === "visible" && renamed) {
          if (owner.configWrapped) fail("names=renamed: a worker module exports getCommsConfig");
        } else if (modes.modules === "visible") {
          // The deep capture: a tap installed in the worker before its code sees every stanza there.
          if (owner.configWrapped < 1) fail("worker tap never wrapped getCommsConfig");
          const wantSeen = pageLog.filter(settled);
          const lost = unmatched(wantSeen, owner.seen);
          if (lost.length)
            fail(`worker config tap misses ${lost.length} stanzas: ${lost.slice(0, 5).map(sig)}`);
          checkJids(owner.seen, "worker config tap", fail);
          summary.workerTap = owner.seen.length;
        } else if (owner.modules || owner.reads.__onAfterModuleFactory) {
          fail(`hidden modules in the worker: its tap found ${owner.modules} factories`);
        }
      }
    } else if (!pageSubtle || !tap.sockets.length) fail("no WebSocket / crypto.subtle activity on the page");
    if (owner) checkTransport(owner, codec, modes, pageLog, settled, stats, fail, summary);

    const relevantErrors = pageErrors.filter((m) => !/WebSocket connection to .*:5222/.test(m));
    if (relevantErrors.length) fail(`page errors: ${relevantErrors.join(" | ")}`);

    if (printTables && !opts.quiet) printCallTables(tables, pageLog, serverLog, stats, tap, latencies, opts);
  } finally {
    await cdp?.close().catch(() => {});
    await sim.close();
  }
  load = Math.max(load, os.loadavg()[0]);
  const cpus = os.cpus().length;
  summary.load = `${load.toFixed(1)}/${cpus}`;
  if (timing.length && !opts.strictTiming && load / cpus > LOAD_PER_CPU_LIMIT) {
    summary.timingWarnings = timing;
  } else failures.push(...timing);
  return { failures, summary };
}

/**
 * Evaluated in the page or the backend worker: which of `names` the module registry has registered
 * (defined with `__d`), read without touching any definition's `factory`; [] without a registry.
 */
function registeredOf(names) {
  const g = globalThis;
  if (typeof g.require !== "function") return [];
  const mm = g.require("__debug").modulesMap;
  return names.filter((n) => mm[n] != null && mm[n].dependencies !== undefined);
}

/**
 * 2026: the engine echo (`__sim.echoes()`) against the page log, and against what the page's codec tap
 * saw: every `<call>` the page sent is decoded once as an engine payload and its ack re-encoded once;
 * every inbound `<call>` and call receipt is re-encoded once, on the page, or in the worker when that
 * context handled it (call receipts and the second socket's calls with comms in the worker).
 */
function checkEchoes(echoes, pageLog, tap, modes, fail, summary) {
  if (!echoes) {
    fail("__sim.echoes() is missing");
    return;
  }
  const worker = modes.comms === "worker";
  const count = (list, pred) => list.filter(pred).length;
  const sent = count(pageLog, (e) => e.dir === "out" && e.tag === "call");
  const inCall = (e) => e.dir === "in" && e.tag === "call";
  const inReceipt = (e) => e.dir === "in" && e.tag === "receipt" && e.action === "offer";
  const want = {
    ack: sent,
    call: count(pageLog, (e) => inCall(e) && (!worker || e.role === "primary")),
    receipt: worker ? 0 : count(pageLog, inReceipt),
  };
  const wantWorker = {
    call: worker ? count(pageLog, (e) => inCall(e) && e.role !== "primary") : 0,
    receipt: worker ? count(pageLog, inReceipt) : 0,
  };
  for (const [k, n] of Object.entries(want))
    if ((echoes.byTag[k] ?? 0) !== n)
      fail(`echo: ${echoes.byTag[k] ?? 0} <${k}> re-encoded on the page, want ${n}`);
  for (const [k, n] of Object.entries(wantWorker))
    if ((echoes.worker?.byTag[k] ?? 0) !== n)
      fail(`echo: ${echoes.worker?.byTag[k] ?? 0} <${k}> re-encoded in the worker, want ${n}`);
  const total = Object.values(echoes.byTag).reduce((a, b) => a + b, 0);
  if (echoes.encodes !== total) fail(`echo: encodes ${echoes.encodes} ≠ sum by tag ${total}`);
  if (echoes.payloadDecodes !== sent) fail(`echo: ${echoes.payloadDecodes} payload decodes, want ${sent}`);
  summary.echo = `${echoes.encodes} page + ${echoes.worker?.encodes ?? 0} worker echoes, ${echoes.payloadDecodes} payloads`;
  if (modes.modules !== "visible" || !tap.codecWrapped) return;
  // The page's codec tap sees the echoes as encodes that never went on the wire (the phantom rows).
  const onPage = (e) => !worker || e.role === "primary";
  const enc = tap.codec.filter((e) => e.dir === "encode");
  const dec = tap.codec.filter((e) => e.dir === "decode");
  const checks = [
    [
      "<ack class=call>",
      count(enc, (e) => e.tag === "ack" && e.class === "call"),
      count(pageLog, (e) => onPage(e) && e.dir === "out" && e.tag === "ack" && e.class === "call") + want.ack,
    ],
    [
      "<receipt><offer>",
      count(enc, (e) => e.tag === "receipt" && e.action === "offer"),
      count(pageLog, (e) => onPage(e) && e.dir === "out" && e.tag === "receipt" && e.action === "offer") +
        want.receipt,
    ],
    [
      "<call>",
      count(enc, (e) => e.tag === "call"),
      count(pageLog, (e) => onPage(e) && e.dir === "out" && e.tag === "call") + want.call,
    ],
    ["engine payload", count(dec, (e) => CALL_ACTIONS.has(e.tag)), sent],
  ];
  for (const [what, got, wantN] of checks)
    if (got !== wantN)
      fail(
        `page codec tap: ${got} ${what} ${what === "engine payload" ? "decodes" : "encodes"}, want ${wantN}`,
      );
}

/** 2026: nothing noticed WA Web's detection (no tap in the self-check touches what it watches). */
function checkFootprint(fp, ctx, fail) {
  if (!fp) {
    fail(`${ctx} footprint missing`);
    return;
  }
  if (fp.honeypotReads)
    fail(`${ctx} footprint: honeypot read ${fp.honeypotReads}× (${fp.honeypotStacks[0]})`);
  if (fp.extensionNodes.length) fail(`${ctx} footprint: extension nodes ${fp.extensionNodes}`);
  if (fp.moduleErrors.length) fail(`${ctx} footprint: ModuleErrors for ${fp.moduleErrors}`);
  if (fp.factoryReads) fail(`${ctx} footprint: ${fp.factoryReads} factory reads`);
  if (fp.errorOverridden || fp.toStringOverridden) fail(`${ctx} footprint: Error or toString overridden`);
}

/** Every JID attribute a tap saw is a WapJid, content is null / array / bytes. */
function checkJids(seen, who, fail) {
  for (const e of seen) {
    for (const [k, isJid] of Object.entries(e.jidAttrs)) {
      if (!isJid) fail(`${who}: ${e.dir} <${e.tag} ${k}> is not a WapJid`);
    }
    if (e.creatorIsJid === false) fail(`${who}: ${e.dir} <${e.tag}> call-creator is not a WapJid`);
    if (!["null", "array", "bytes"].includes(e.contentKind)) fail(`${who}: content kind ${e.contentKind}`);
  }
}

/**
 * Worker mode, page codec tap (runtime doc §5.4): it sees every call stanza of the primary socket
 * (inbound ones and acks of page-made requests decoded, page sends and replies encoded), and none of
 * the acks of worker-owned traffic.
 */
function checkWorkerCodecTap(tap, pageLog, settled, modes, fail, summary) {
  const decoded = tap.codec.filter((e) => e.dir === "decode").map((e) => ({ ...e, dir: "in" }));
  const encoded = tap.codec.filter((e) => e.dir === "encode").map((e) => ({ ...e, dir: "out" }));
  const callish = pageLog.filter((e) => isCallish(e) && e.role === "primary" && settled(e));
  // 2026: the worker keeps call receipts (WAWebHandleVoipCallReceipt there): they never reach the page.
  const inCallReceipt = (e) => e.tag === "receipt" && e.action === "offer";
  const keptInWorker = modes.wa !== "legacy" ? inCallReceipt : () => false;
  if (modes.wa !== "legacy" && decoded.some(inCallReceipt))
    fail("worker mode: a call receipt reached the page's decodeStanza");
  const lostIn = unmatched(
    callish.filter((e) => e.dir === "in" && !keptInWorker(e)),
    decoded,
  );
  const lostOut = unmatched(
    callish.filter((e) => e.dir === "out"),
    encoded,
  );
  if (lostIn.length) fail(`worker mode: page WAWap.decodeStanza missed ${lostIn.map(sig)}`);
  if (lostOut.length) fail(`worker mode: page WAWap.encodeStanza missed ${lostOut.map(sig)}`);
  const workerAcks = pageLog.filter((e) => e.dir === "in" && e.tag === "ack" && e.class === "receipt");
  if (!workerAcks.length) fail("worker mode: no inbound <ack class=receipt> in the page log");
  if (decoded.some((e) => e.tag === "ack" && e.class === "receipt"))
    fail("worker mode: an ack of worker-owned traffic reached the page");
  summary.pageCodecTap = `${decoded.length} decoded / ${encoded.length} encoded`;
}

/**
 * The Worker: one, same-origin, "WAWebBackendWorker-1", with the init handshake. Legacy: a module
 * worker at /worker/backend.js; 2026: /static_resources/webworker_v4/init_script/?worker_type=MODULE
 * (type module) or CLASSIC (type classic).
 */
function checkWorkerCreation(tap, origin, modes, fail) {
  if (tap.workers.length !== 1) {
    fail(`worker mode: ${tap.workers.length} Workers created`);
    return;
  }
  const w = tap.workers[0];
  const url = new URL(w.url, `${origin}/`);
  const wa2026 = modes.wa !== "legacy";
  const wantPath = wa2026 ? "/static_resources/webworker_v4/init_script/" : "/worker/backend.js";
  const wantType = wa2026 ? modes.worker : "module";
  if (url.origin !== origin || url.pathname !== wantPath) fail(`worker URL ${w.url}`);
  if (wa2026 && url.searchParams.get("worker_type") !== wantType.toUpperCase())
    fail(`worker_type ${url.searchParams.get("worker_type")}, want ${wantType.toUpperCase()}`);
  if (w.name !== "WAWebBackendWorker-1" || w.type !== wantType) fail(`worker options ${w.name} ${w.type}`);
  const seq = tap.workerMessages.map((m) => `${m.dir}:${m.type}${m.message ? `/${m.message}` : ""}`);
  const want = ["from:worker_setup/worker_started", "to:ww-hrp-init", "from:ww-init-complete"];
  if (JSON.stringify(seq) !== JSON.stringify(want)) fail(`worker init messages ${seq}`);
}

/**
 * The transport tap of the context that owns the sockets: every authenticated socket decrypts with
 * captured keys; decoded stanzas equal the page log; the header announces the page's dictionary; in a
 * dictionary other than v3, no call frame decodes as a call with the v3 tables.
 */
function checkTransport(owner, codec, modes, pageLog, settled, stats, fail, summary) {
  const tr = decryptTransport(owner, codec);
  for (const e of tr.errors.slice(0, 5)) fail(`transport tap: ${e}`);
  const authed = tr.sockets.filter((s) => s.decrypted > 0);
  const wantSockets = 2 + (modes.sockets === 2 ? 1 : 0);
  if (authed.length < wantSockets)
    fail(`transport tap decrypted ${authed.length} sockets, want ≥ ${wantSockets}`);
  const header = `574106${modes.dictVersion.toString(16).padStart(2, "0")}`;
  for (const s of authed) if (s.header !== header) fail(`transport tap: header ${s.header}, want ${header}`);
  if (modes.ed === "none" && modes.wa !== "legacy") {
    if (authed.some((s) => s.ed)) fail("transport tap: an ED routing preamble with ed=none");
  } else if (!authed.some((s) => s.ed)) fail("transport tap: no reconnect carried the ED routing preamble");
  const stanzas = tr.stanzas.filter((s) => s.tag);
  const lostOnWire = unmatched(pageLog.filter(settled), stanzas);
  const lostInLog = unmatched(stanzas.filter(settled), pageLog);
  if (lostOnWire.length)
    fail(`transport tap misses ${lostOnWire.length} logged stanzas: ${lostOnWire.slice(0, 5).map(sig)}`);
  if (lostInLog.length)
    fail(`page log misses ${lostInLog.length} decrypted stanzas: ${lostInLog.slice(0, 5).map(sig)}`);
  summary.transport = `${authed.length} sockets, ${stanzas.length} frames`;
  if (modes.dictVersion !== 3) {
    const calls = stanzas.filter((s) => s.tag === "call");
    const readAsCall = calls.filter((s) => decodeAsV3(s.plain).startsWith("call "));
    const changed = stanzas.filter((s) => !Buffer.from(codec.toV3(s.plain)).equals(s.plain));
    if (!calls.length) fail("transport tap: no call frames");
    if (readAsCall.length) fail(`${readAsCall.length} call frames still decode as <call> with v3 tables`);
    if (changed.length !== stanzas.length)
      fail(`${stanzas.length - changed.length} frames are the same bytes in v3 and v${modes.dictVersion}`);
    summary.dict = `v${modes.dictVersion}: ${changed.length}/${stanzas.length} frames differ from v3`;
  }
  if (stats.remappedFrames && modes.dictVersion === 3) fail("v3 frames were re-mapped");
}

function printCallTables(tables, pageLog, serverLog, stats, tap, latencies, opts) {
  for (const { name, callId, rows } of tables) {
    const base = rows[0]?.t ?? 0;
    console.log(`\n${name}  call-id ${callId}`);
    console.log(
      `  ${pad("page ms", 8)} ${pad("srv ms", 8)} ${pad("dir", 4)} ${pad("stanza", 22)} ${pad("id", 18)} ${pad("sock", 5)} note`,
    );
    for (const e of rows) {
      const note = [];
      if (e.ackLatency != null) note.push(`server ack ${e.ackLatency.toFixed(1)} ms`);
      if (e.localAck != null) note.push(`acked in ${e.localAck.toFixed(1)} ms`);
      if (e.reason) note.push(`reason=${e.reason}`);
      const stanza = `${e.tag} ${e.tag === "ack" ? (e.class === "call" ? e.action : e.class) : (e.action ?? "")}`;
      console.log(
        `  ${padL((e.t - base).toFixed(1), 8)} ${padL(e.serverT != null ? (e.serverT - base).toFixed(1) : "-", 8)} ` +
          `${pad(e.dir === "out" ? "→" : "←", 4)} ${pad(stanza, 22)} ${pad(e.id, 18)} ${pad(e.socketId, 5)} ${note.join(", ")}`,
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
    `server: ${serverLog.length} stanzas logged, ${stats.connections} sockets, ${stats.wsMessagesSent} ws ` +
      `messages (${stats.splitMessages} split, ${stats.coalescedMessages} coalesced), ` +
      `${stats.compressedFrames} compressed frames, ack timers late by ≤ ${stats.maxAckTimerLateMs.toFixed(1)} ms`,
  );
  console.log(
    `tap: ${tap.modules} module factories seen, getCommsConfig wrapped ${tap.configWrapped}×, ` +
      `${tap.seen.length} stanzas (${tap.seen.filter(isCallish).length} call-related)`,
  );
  if (latencies.length) {
    console.log(
      `server ack latency (page log): ${latencies.length} acks, ${Math.min(...latencies).toFixed(1)}–` +
        `${Math.max(...latencies).toFixed(1)} ms (ackDelayMs ${opts.ackDelayMs})\n`,
    );
  }
}

/** Evaluated in the page: hidden-module guarantees (globals) and the version. */
function checkHiddenGlobals() {
  const names = [
    "require",
    "__d",
    "define",
    "importNamespace",
    "importDefault",
    "requireLazy",
    "requireDynamic",
    "requireInterop",
    "__d_stub",
    "__rl_stub",
  ];
  const present = names.filter((n) => window[n] !== undefined);
  const classicBundles = [...document.scripts].filter((s) => /\/(bundles\/|runtime\.js)/.test(s.src)).length;
  return { present, classicBundles, version: window.Debug?.VERSION };
}

/** Evaluated in the page (visible modules): runtime and module shapes of runtime doc §1-§5, per mode. */
async function checkShapesInPage(modes) {
  const failures = [];
  const check = (cond, msg) => {
    if (!cond) failures.push(msg);
  };
  const dbg = window.require("__debug");
  const mm = dbg.modulesMap;
  const wa2026 = modes.wa !== "legacy";
  const renamed = wa2026 && modes.names === "renamed";
  const codecName = renamed ? "WAWebWapCodec" : "WAWap";
  const expected = [
    codecName,
    "WAWapJid",
    "WAComms",
    "WAWebCommsConfig",
    "WAWebCommsHandleStanza",
    "WAWebVoipSendSignalingXmpp",
    "WAWebStartBackend",
    "WAWebCommsGating",
    "WAWebBuildConstants",
  ];
  if (modes.comms === "main") expected.push("WACryptoDependencies", "WAWebOpenChatSocket");
  else expected.push("WAWebStartBackendWorker", "WAWebCommsWorkerProxy", "WAWebMainThreadComms");
  if (modes.comms === "main" && modes.dict !== "unknown") expected.push("WAWapDict");
  for (const name of expected) {
    const d = mm[name];
    check(d?.factoryFinished && "exports" in d && "defaultExport" in d, `${name} not finished in modulesMap`);
  }
  if (modes.comms === "worker") {
    check(!mm.WAWebOpenChatSocket?.factoryFinished, "worker mode: WAWebOpenChatSocket ran on the page");
    check(!mm.WANoiseSocket?.factoryFinished, "worker mode: WANoiseSocket ran on the page");
  }
  check(typeof window.__d === "function" && typeof window.importNamespace === "function", "globals missing");
  check(window.__d_stub === undefined, "__d_stub not deleted");
  const handle = window.require("WAWebCommsHandleStanza");
  check(typeof handle === "function", "require(WAWebCommsHandleStanza) is not the function");
  check(window.importNamespace("WAWebCommsHandleStanza").default === handle, "importNamespace().default");
  check(window.importDefault("WAWebCommsHandleStanza") === handle, "importDefault");
  check(window.importDefault(codecName) === null, "importDefault of a module without default should be null");
  if (renamed) check(mm.WAWap == null, "names=renamed: a module is still called WAWap");
  const before = dbg.getDupCount();
  window.__d(codecName, [], () => {}, 98);
  check(
    dbg.getDupCount() === before + 1 && window.require(codecName).encodeStanza,
    "redefinition not ignored",
  );
  const W = window.importNamespace(codecName);
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

  // Dictionary: WAWapDict per mode, and WAWap's bytes against the bridge's v3 bytes.
  if (modes.dict === "unknown") {
    check(mm.WAWapDict == null, "dict=unknown: WAWapDict must be absent");
    let absent = false;
    try {
      window.importNamespace("WAWapDict");
    } catch {
      absent = true;
    }
    check(absent, "dict=unknown: importNamespace(WAWapDict) must throw");
  } else {
    const D = window.importNamespace("WAWapDict");
    check(D.DICT_VERSION === modes.dictVersion, `WAWapDict.DICT_VERSION ${D.DICT_VERSION}`);
    const callByte = modes.dict === "alt" ? 0x13 : 0x64;
    check(D.SINGLE_BYTE_TOKEN[callByte - 1] === "call", "WAWapDict: call token position");
    check(
      D.DICTIONARIES.length === 4 && D.DICTIONARIES[0] === D.DICTIONARY_0_TOKEN,
      "WAWapDict.DICTIONARIES",
    );
    if (modes.dict === "alt") {
      check(D.SINGLE_BYTE_TOKEN[0x64 - 1] === "message", "alt: message at 0x64");
      check(D.DICTIONARY_0_TOKEN[0x23] === "offer", "alt: offer at EC 23");
    }
  }
  const v3 = await import("/vendor/whatsapp-rust-bridge.js");
  const sample = W.wap(
    "call",
    { to: W.JID("15550002222@s.whatsapp.net"), id: "1.2-3" },
    W.wap("terminate", { "call-id": "0123456789ABCDEF0123456789ABCDEF", reason: "timeout" }),
  );
  const ours = W.encodeStanza(sample);
  const theirs = v3.encodeNode({
    tag: "call",
    attrs: { to: "15550002222@s.whatsapp.net", id: "1.2-3" },
    content: [
      { tag: "terminate", attrs: { "call-id": "0123456789ABCDEF0123456789ABCDEF", reason: "timeout" } },
    ],
  });
  const same = ours.length === theirs.length && ours.every((b, i) => b === theirs[i]);
  check(same === (modes.dict === "v3"), `WAWap bytes ${same ? "equal" : "differ from"} v3 bytes`);

  // Comms: main-thread object, or the worker proxy.
  const cfgMod = window.importNamespace("WAWebCommsConfig");
  if (renamed) {
    const exporters = Object.keys(mm).filter((n) => {
      const ex = mm[n]?.factoryFinished ? mm[n].exports : null;
      return ex != null && typeof ex === "object" && typeof ex.getCommsConfig === "function";
    });
    check(exporters.length === 0, `names=renamed: getCommsConfig exported by ${exporters}`);
  } else {
    const configA = cfgMod.getCommsConfig({});
    const configB = cfgMod.getCommsConfig({});
    check(
      configA !== configB && configA.handlers !== configB.handlers,
      "getCommsConfig must return a new object",
    );
  }
  const gate = window.importNamespace("WAWebCommsGating").isCommsInWorker();
  check(gate === (modes.comms === "worker"), `isCommsInWorker() is ${gate}`);
  if (wa2026) {
    const gkx = window.require("gkx")("18966");
    const qex = window.require("qex")._("5241");
    const inWorker = modes.comms === "worker";
    check(gkx === (inWorker && modes.gate === "gkx"), `gkx("18966") is ${gkx}`);
    check(
      ["worker", "worker_hrp", "worker_hrp_bundle"].includes(qex) === (inWorker && modes.gate === "qex"),
      `qex._("5241") is ${qex}`,
    );
    // Env.clear_js_factory_after_used: factories are null once they ran, and reading one is counted.
    const finished = Object.keys(mm).filter((n) => mm[n]?.factoryFinished);
    const reads0 = window.__sim.footprint().factoryReads;
    const left = finished.filter((n) => mm[n].factory !== null);
    check(left.length === 0, `factories not cleared: ${left.slice(0, 5)}`);
    const reads1 = window.__sim.footprint().factoryReads;
    check(
      reads1 - reads0 === finished.length,
      `factory reads counted ${reads1 - reads0}, want ${finished.length}`,
    );
    check(
      typeof window.requireLazy === "function" && window.__rl_stub === undefined,
      "requireLazy stub replayed",
    );
    check(Array.isArray(window.webpackChunkwhatsapp_web_client), "the honeypot global");
    check(window.__sim.footprint().honeypotReads === 1, "the honeypot read was not counted");
  }
  const comms = window.importNamespace("WAComms").getComms();
  let handlersTapped = false;
  if (modes.comms === "main" && renamed) {
    const h = comms.config?.handlers;
    check(
      h && h.onHandleStanza === undefined && h.onCastStanza === undefined,
      "renamed: stanza handlers present",
    );
    check(Array.isArray(comms.ackHandlers), "ackHandlers");
  } else if (modes.comms === "main") {
    check(
      comms.config && typeof comms.config.handlers.onHandleStanza === "function",
      "getComms().config.handlers",
    );
    check(Array.isArray(comms.ackHandlers), "ackHandlers");
    handlersTapped = comms.config.handlers.__tapped === true;
  } else {
    check(comms.config === undefined && comms.socket === undefined, "worker proxy: no config, no socket");
    for (const m of ["handleStanza", "addAckHandler", "setSocket", "setOnBeforeCastStanzaForE2E"]) {
      let threwM = false;
      try {
        comms[m]();
      } catch {
        threwM = true;
      }
      check(threwM, `worker proxy: ${m} must throw`);
    }
  }
  check(typeof comms.deprecatedSendStanzaAndReturnAck === "function", "deprecatedSendStanzaAndReturnAck");
  check(/^2\.3000\.\d+$/.test(window.Debug?.VERSION ?? ""), "window.Debug.VERSION");
  return { failures, handlersTapped, version: window.Debug?.VERSION };
}

/** Evaluated in the backend worker: its runtime, modules and taps. */
function checkShapesInWorker(modes) {
  const failures = [];
  const check = (cond, msg) => {
    if (!cond) failures.push(msg);
  };
  check(typeof self.window === "undefined" && typeof self.__sim === "undefined", "worker globals");
  if (modes.modules === "hidden") {
    check(self.require === undefined && self.__d === undefined, "hidden modules: worker has require/__d");
  } else {
    check(typeof self.require === "function" && typeof self.__d === "function", "worker runtime globals");
    const mm = self.require("__debug").modulesMap;
    const renamed = modes.wa !== "legacy" && modes.names === "renamed";
    const codecName = renamed ? "WAWebWapCodec" : "WAWap";
    for (const name of ["WAComms", codecName, "WAWebOpenChatSocket", "WANoiseSocket", "WACryptoDependencies"])
      check(mm[name]?.factoryFinished, `${name} did not run in the worker`);
    const comms = self.importNamespace("WAComms").getComms();
    if (renamed)
      check(comms.config?.handlers?.onHandleStanza === undefined, "renamed: worker config handlers");
    else check(comms.config?.handlers?.__tapped === true, "the worker's comms config is not the tapped one");
    check(Array.isArray(comms.ackHandlers) && comms.socket != null, "the worker's comms owns the socket");
  }
  return { failures, tap: self.__tap };
}

// Hidden-mode checks, run in Node on checkHiddenGlobals' result.
function hiddenFailures(info, modes) {
  const out = [];
  if (modes.modules === "hidden") {
    if (info.present.length) out.push(`hidden modules: globals ${info.present.join(", ")} exist`);
    if (info.classicBundles) out.push(`hidden modules: ${info.classicBundles} classic bundle scripts`);
  } else if (!info.present.includes("require") || !info.present.includes("__d")) {
    out.push("visible modules: require / __d missing");
  }
  if (!/^2\.3000\.\d+$/.test(info.version ?? "")) out.push("window.Debug.VERSION");
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const all = [];
  for (let r = 0; r < opts.repeat; r++) {
    for (const query of opts.modes) {
      const started = Date.now();
      let result;
      try {
        // Every mode gets its own server and Chromium (the host rule maps the server's port).
        result = await checkMode(query, opts, opts.verbose);
      } catch (err) {
        result = { failures: [`crashed: ${err?.stack ?? err}`], summary: { mode: query || "main" } };
      }
      const s = result.summary;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `${result.failures.length ? "FAIL" : "ok  "} ${pad(s.mode, 42)} ${secs}s  load ${s.load ?? "-"}  ack ${s.latency ?? "-"} ms  ` +
          `${s.stanzas ?? ""}${s.transport ? `  wire ${s.transport}` : ""}${s.workerTap != null ? `  worker tap ${s.workerTap}` : ""}` +
          `${s.pageCodecTap ? `  page codec tap ${s.pageCodecTap}` : ""}${s.dict ? `  ${s.dict}` : ""}` +
          `${s.echo ? `  ${s.echo}` : ""}`,
      );
      for (const f of result.failures) console.log(`     - ${f}`);
      if (s.outliers) console.log(`     (late acks tolerated as outliers: ${s.outliers.join(", ")})`);
      for (const w of s.timingWarnings ?? [])
        console.log(`     ! timing, not counted (load average ${s.load} CPUs): ${w}`);
      all.push(result);
    }
  }
  const failed = all.filter((r) => r.failures.length);
  if (failed.length) {
    console.log(`\nSELFCHECK FAILED (${failed.length} of ${all.length} mode runs)`);
    process.exit(1);
  }
  console.log(`\nSELFCHECK PASSED (${all.length} mode runs)`);
}

await main();
