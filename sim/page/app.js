/**
 * The simulated app around the module bundles: configuration, `window.__sim`, the page log, background
 * chatter from this device, and the small UI.
 * @module sim/page/app
 */
import { VoipEngine } from "./engine.js";
import {
  DEFAULT_TIMING,
  describeNode,
  JIDS,
  ME,
  newWebMessageId,
  randomBytes,
  randomHex,
  SCENARIOS,
} from "./shared.js";

const TIMING_KEYS = Object.keys(DEFAULT_TIMING);
const LOG_ROWS_SHOWN = 150;
const UI_FLUSH_MS = 500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const req = (name) => window.require(name);
const ns = (name) => window.importNamespace(name);

/**
 * Starts the simulated WA Web app. Defines `window.__sim` synchronously.
 * @param {{encodeNode: (node: object) => Uint8Array}} bridge
 */
export async function startApp({ encodeNode }) {
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const log = [];
  const config = { ...DEFAULT_TIMING };
  const sim = {
    ready,
    scenarios: [...SCENARIOS],
    log,
    config,
    session: randomHex(8),
    state: "BOOTING",
    run: (name) => enqueue(() => engine.run(name)),
    runAll: () => enqueue(() => runAllNow()),
  };
  window.__sim = sim;
  let engine = null;
  let queue = Promise.resolve();
  const enqueue = (fn) => {
    const p = queue.then(() => ready).then(fn);
    queue = p.catch(() => {});
    return p;
  };
  const runAllNow = async () => {
    const results = [];
    for (const name of SCENARIOS) {
      results.push(await engine.run(name));
      await sleep(300);
    }
    return results;
  };

  const ui = buildUi(sim);

  // Server defaults, then page query parameters (?ackDelayMs=&ringMs=&talkMs=&chatterMs=).
  const serverConfig = await fetch("/sim/config").then((r) => r.json());
  const query = new URLSearchParams(location.search);
  const overrides = {};
  for (const k of TIMING_KEYS) {
    if (serverConfig[k] != null) config[k] = Number(serverConfig[k]);
    if (query.has(k) && Number.isFinite(Number(query.get(k)))) {
      config[k] = Number(query.get(k));
      overrides[k] = config[k];
    }
  }

  // The page log: every stanza this page's comms sent or received.
  const idToCall = new Map();
  const bus = req("WASimBus");
  bus.on("stanza", ({ dir, node, socketId, t }) => {
    const d = describeNode(node);
    if (d.callId && d.id) idToCall.set(d.id, d.callId);
    if (!d.callId && d.id && (d.tag === "ack" || d.tag === "receipt") && idToCall.has(d.id)) {
      d.callId = idToCall.get(d.id);
    }
    const entry = { t, dir, socketId, ...d };
    log.push(entry);
    ui.addRow(entry);
  });
  bus.on("state", ({ state }) => {
    sim.state = state;
    ui.setState(state);
  });
  bus.on("success", () => resolveReady());
  setTimeout(() => rejectReady(new Error("not connected after 20 s")), 20000);
  ready.catch(() => {});

  req("WAWebDebugSetup").setupDebugGlobal();
  ns("WAWebClientPayload").setSimInfo({ session: sim.session, overrides });
  engine = new VoipEngine({ require: req, encodeNode, session: sim.session, config });
  await ns("WAWebStartBackend").startBackend();
  await ready;
  if (config.chatterMs > 0) startChatter(config.chatterMs);
  if (query.get("autorun") === "1") sim.runAll();
}

/** This device's background traffic: messages, presence, chatstate, pings, iqs. */
function startChatter(periodMs) {
  let n = 0;
  setInterval(() => {
    const W = ns("WAWap");
    let comms;
    try {
      comms = ns("WAComms").getComms();
    } catch {
      return;
    }
    if (!comms.socket) return;
    const k = n++ % 5;
    try {
      if (k === 0) {
        const id = newWebMessageId();
        const message = W.wap(
          "message",
          { to: W.JID(JIDS.peer), id, type: "text" },
          W.wap("enc", { v: "2", type: "msg" }, randomBytes(64)),
        );
        comms.deprecatedSendStanzaAndReturnAck(message, { id, class: "message" }).catch(() => {});
      } else if (k === 1) {
        comms.castStanza(W.wap("presence", { type: "available", name: ME.pushName })).catch(() => {});
      } else if (k === 2) {
        comms.sendPing();
      } else if (k === 3) {
        const iq = W.wap(
          "iq",
          { id: W.generateId(), to: W.S_WHATSAPP_NET, type: "get", xmlns: "encrypt" },
          W.wap("count", null),
        );
        comms.sendIq(iq, false, 10).catch(() => {});
      } else {
        comms
          .castStanza(W.wap("chatstate", { to: W.JID(JIDS.peer) }, W.wap("composing", null)))
          .catch(() => {});
      }
    } catch (err) {
      console.warn("[sim] chatter", err);
    }
  }, periodMs);
}

/** @returns {HTMLTableRowElement} one log row */
function renderRow(e, t0) {
  const tr = document.createElement("tr");
  tr.className = `${e.dir} ${e.callId ? "callrow" : ""}`;
  const cells = [
    ((e.t - t0) / 1000).toFixed(3),
    e.dir === "out" ? "→" : "←",
    e.tag,
    e.action ?? e.class ?? e.type ?? "",
    e.id ?? "",
    e.callId ? `${e.callId.slice(0, 8)}…` : "",
    e.reason ?? "",
    e.dir === "out" ? (e.to ?? "") : (e.from ?? ""),
  ];
  for (const c of cells) {
    const td = document.createElement("td");
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

/** Minimal DOM UI: state, version, one button per scenario, "run all", and the live log. */
function buildUi(sim) {
  const $ = (id) => document.getElementById(id);
  const buttons = $("buttons");
  const results = $("results");
  const tbody = $("log");
  const t0 = performance.timeOrigin + performance.now();
  const report = (p, label) =>
    p.then(
      (r) => {
        results.textContent = `${label}: ${JSON.stringify(r)}`;
      },
      (e) => {
        results.textContent = `${label} failed: ${e?.message ?? e}`;
      },
    );
  for (const name of SCENARIOS) {
    const b = document.createElement("button");
    b.textContent = name;
    b.addEventListener("click", () => report(sim.run(name), name));
    buttons.append(b);
  }
  const all = document.createElement("button");
  all.textContent = "run all";
  all.className = "all";
  all.addEventListener("click", () => report(sim.runAll(), "run all"));
  buttons.append(all);
  $("session").textContent = `session ${sim.session}`;
  // Rows are added in batches, off the stanza path, so UI work does not skew the log's timestamps.
  let pending = [];
  let flushTimer = null;
  const flush = () => {
    flushTimer = null;
    const rows = pending.slice(-LOG_ROWS_SHOWN);
    pending = [];
    const frag = document.createDocumentFragment();
    for (const e of rows.reverse()) frag.append(renderRow(e, t0));
    tbody.prepend(frag);
    while (tbody.rows.length > LOG_ROWS_SHOWN) tbody.deleteRow(-1);
    $("count").textContent = `${sim.log.length} stanzas`;
  };
  const setVersion = () => {
    $("version").textContent = window.Debug?.VERSION ? `WA ${window.Debug.VERSION}` : "";
  };
  return {
    setState(state) {
      const el = $("state");
      el.textContent = state;
      el.dataset.state = state;
      setVersion();
    },
    addRow(e) {
      pending.push(e);
      if (!flushTimer) flushTimer = setTimeout(flush, UI_FLUSH_MS);
    },
  };
}
