/**
 * The simulated app around the module bundles: configuration, `window.__sim`, the page log, background
 * chatter from this device, and the small UI. Works with any mode (sim/page/modes.js): module access
 * goes through the runtime handle boot.js passes in (global `require` or the hidden closure), and with
 * comms in the worker the log is fed by the worker's bus events.
 * @module sim/page/app
 */
import { VoipEngine } from "./engine.js";
import { modesQuery, socketRole } from "./modes.js";
import {
  DEFAULT_TIMING,
  describeNode,
  JIDS,
  ME,
  MORE_SCENARIOS,
  newWebMessageId,
  randomBytes,
  randomHex,
  SCENARIOS,
} from "./shared.js";
import { receiveBus, startSecondSocketAfterPrimary, TIMING_KEYS } from "./sim-modules.js";

const LOG_ROWS_SHOWN = 150;
/** 2026: the unrelated late bundle arrives this long after boot unless `?lateBundleMs=` says otherwise. */
const LATE_BUNDLE_MIN_MS = 10000;
const LATE_BUNDLE_MAX_MS = 30000;
const UI_FLUSH_MS = 500;
const RECONNECT_TIMEOUT_MS = 20000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the simulated WA Web app. Defines `window.__sim` synchronously.
 * @param {{rt: {require: (n: string) => any, importNamespace: (n: string) => any},
 *   codec: import("./dict.js").DictCodec, modes: import("./modes.js").SimModes, config: object}} p
 *   `config` is the object `WASimConfig` exports
 */
export async function startApp({ rt, codec, modes, config: simConfig }) {
  const req = (name) => rt.require(name);
  const ns = (name) => rt.importNamespace(name);
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const log = [];
  const config = {
    ...DEFAULT_TIMING,
    comms: modes.comms,
    modules: modes.modules,
    dict: modes.dict,
    dictVersion: modes.dictVersion,
    sockets: modes.sockets,
    wa: modes.wa,
  };
  const wa2026 = modes.wa !== "legacy";
  if (wa2026) {
    Object.assign(config, {
      worker: modes.worker,
      gate: modes.gate,
      names: modes.names,
      inflate: modes.inflate,
      ed: modes.ed,
      codecModule: simConfig.codecModule,
    });
  }
  if (modes.invalid.length) config.invalidParams = [...modes.invalid];
  const moreScenarios = MORE_SCENARIOS.filter((n) => n !== "incoming-second-socket" || modes.sockets === 2);
  /** Live connection states: `{primary: {state, socketId}, secondary?: {state, socketId}}`. */
  const connections = { primary: { state: "BOOTING", socketId: 0 } };
  const sim = {
    ready,
    scenarios: [...SCENARIOS],
    moreScenarios,
    log,
    config,
    connections,
    session: randomHex(8),
    state: "BOOTING",
    run: (name) => enqueue(() => engine.run(name)),
    runAll: (which) => enqueue(() => runAllNow(which)),
    reconnect: (role) => reconnect(role),
  };
  if (wa2026) {
    Object.assign(sim, {
      echoes: () => {
        const s = ns("WASimVoipEngineHost").stats();
        return s;
      },
      footprint: () => ns("WASimFootprint").snapshot(ns("WASimRuntimeStats")),
      workerFootprint: () => workerFootprint(),
      bundles: () => bundles.map((b) => ({ ...b })),
      backendWorker: () => (simConfig.backendWorker ? { ...simConfig.backendWorker } : null),
    });
  }
  window.__sim = sim;
  /** 2026: on-demand bundles fetched so far, `{name, requestedAt, t, ctx}` (epoch ms). */
  const bundles = [];
  let engine = null;
  let queue = Promise.resolve();
  const enqueue = (fn) => {
    const p = queue.then(() => ready).then(fn);
    queue = p.catch(() => {});
    return p;
  };
  const runAllNow = async (which) => {
    let names = [...SCENARIOS];
    if (which === "all") names = [...SCENARIOS, ...moreScenarios];
    else if (Array.isArray(which)) names = which.map(String);
    const results = [];
    for (const name of names) {
      results.push(await engine.run(name));
      await sleep(300);
    }
    return results;
  };

  const ui = buildUi(sim, moreScenarios);

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
  Object.assign(simConfig, {
    ...Object.fromEntries(TIMING_KEYS.map((k) => [k, config[k]])),
    session: sim.session,
    // Where comms runs in the worker, the worker needs the session (its ClientPayload carries it),
    // the modes and the timing overrides; they travel in its URL.
    workerParams: {
      session: sim.session,
      ...Object.fromEntries(new URLSearchParams(modesQuery(modes))),
      ...overrides,
    },
  });

  // The page log: every stanza this page's comms (or, in worker mode, the worker's) sent or received.
  const idToCall = new Map();
  const bus = req("WASimBus");
  const busChannel = modes.comms === "worker" ? receiveBus(rt, sim.session) : null;
  bus.on("bundle", (b) => bundles.push(b));
  const footprintWaiters = new Map();
  let footprintSeq = 0;
  bus.on("footprint", ({ requestId, footprint }) => {
    footprintWaiters.get(requestId)?.(footprint);
    footprintWaiters.delete(requestId);
  });
  /** 2026, comms in the worker: the worker's detection counters, over the simulator's bus (null otherwise). */
  function workerFootprint() {
    if (!busChannel) return Promise.resolve(null);
    const requestId = ++footprintSeq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        footprintWaiters.delete(requestId);
        reject(new Error("the backend worker did not answer the footprint request"));
      }, 5000);
      footprintWaiters.set(requestId, (fp) => {
        clearTimeout(timer);
        resolve(fp);
      });
      busChannel.postMessage({ type: "footprint-request", detail: { requestId } });
    });
  }
  const lastSuccess = { primary: 0, secondary: 0 };
  const successWaiters = new Set();
  bus.on("stanza", ({ dir, node, socketId, role, t, ctx }) => {
    const d = describeNode(node);
    if (d.callId && d.id) idToCall.set(d.id, d.callId);
    if (!d.callId && d.id && (d.tag === "ack" || d.tag === "receipt") && idToCall.has(d.id)) {
      d.callId = idToCall.get(d.id);
    }
    const entry = { t, dir, socketId, role: role ?? socketRole(socketId), ctx: ctx ?? "page", ...d };
    log.push(entry);
    ui.addRow(entry);
  });
  bus.on("state", ({ state, socketId, role }) => {
    connections[role ?? "primary"] = { state, socketId };
    if ((role ?? "primary") !== "primary") return;
    sim.state = state;
    ui.setState(state);
  });
  bus.on("success", ({ socketId }) => {
    const role = socketRole(socketId);
    lastSuccess[role] = socketId;
    if (role === "primary") resolveReady();
    for (const w of [...successWaiters]) w(socketId);
  });
  setTimeout(() => rejectReady(new Error("not connected after 20 s")), 20000);
  ready.catch(() => {});

  /**
   * Drops a chat socket on the server side (abruptly, like a network failure) and resolves after
   * `<success>` on the socket comms opened instead.
   * @param {"primary"|"secondary"} [role] which connection (the second exists with ?sockets=2)
   */
  async function reconnect(role = "primary") {
    await ready;
    if (role !== "primary" && role !== "secondary") throw new Error(`reconnect: unknown socket ${role}`);
    const before = lastSuccess[role];
    let onSuccess;
    const next = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        successWaiters.delete(onSuccess);
        reject(new Error(`no new chat socket ${RECONNECT_TIMEOUT_MS} ms after the drop`));
      }, RECONNECT_TIMEOUT_MS);
      onSuccess = (socketId) => {
        if (socketId === before || socketRole(socketId) !== role) return;
        clearTimeout(timer);
        successWaiters.delete(onSuccess);
        resolve(socketId);
      };
      successWaiters.add(onSuccess);
    });
    const res = await fetch("/sim/drop", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ session: sim.session, role }),
    });
    if (!res.ok) throw new Error(`POST /sim/drop: ${res.status} ${await res.text()}`);
    const socketId = await next;
    return { role, previousSocketId: before, socketId };
  }

  req("WAWebDebugSetup").setupDebugGlobal();
  ns("WAWebClientPayload").setSimInfo({ session: sim.session, overrides });
  ui.setModes(config);
  const scan = () => {
    if (wa2026) req("WAWebExternalInjectedSources")();
  };
  scan();
  engine = new VoipEngine({
    require: req,
    encodeNode: codec.encodeNode,
    decodeNode: codec.decodeNode,
    session: sim.session,
    config,
    reconnect,
    onCallStart: scan,
  });
  if (wa2026) {
    // A further bundle of unrelated modules, 10-30 s after boot (`?lateBundleMs=` overrides; "off" or
    // a negative value never loads it).
    const raw = query.get("lateBundleMs");
    const lateMs =
      raw == null || raw === "" || !Number.isFinite(Number(raw))
        ? raw === "off"
          ? -1
          : LATE_BUNDLE_MIN_MS + Math.random() * (LATE_BUNDLE_MAX_MS - LATE_BUNDLE_MIN_MS)
        : Number(raw);
    config.lateBundleMs = lateMs < 0 ? null : Math.round(lateMs);
    if (lateMs >= 0) {
      setTimeout(() => {
        req("Bootloader")
          .loadBundle("late")
          .catch((err) => console.error("[sim] late bundle", err));
      }, lateMs);
    }
  }
  if (modes.sockets === 2 && modes.comms !== "worker") startSecondSocketAfterPrimary(rt, config);
  await ns("WAWebStartBackend").startBackend();
  await ready;
  if (config.chatterMs > 0)
    startChatter(ns, config.chatterMs, () => sim.state === "CONNECTED", simConfig.codecModule ?? "WAWap");
  if (query.get("autorun") === "1") sim.runAll();
}

/** This device's background traffic: messages, presence, chatstate, pings, iqs. */
function startChatter(ns, periodMs, connected, codecModule) {
  let n = 0;
  setInterval(() => {
    const W = ns(codecModule);
    let comms;
    try {
      comms = ns("WAComms").getComms();
    } catch {
      return;
    }
    if (!connected()) return;
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
        Promise.resolve(comms.sendPing()).catch(() => {});
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
    `${e.socketId}${e.ctx === "worker" ? " (worker)" : ""}`,
  ];
  for (const c of cells) {
    const td = document.createElement("td");
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

/** Minimal DOM UI: state, version, one button per scenario, "run all", and the live log. */
function buildUi(sim, moreScenarios) {
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
  for (const name of [...SCENARIOS, ...moreScenarios]) {
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
  const drop = document.createElement("button");
  drop.textContent = "reconnect";
  drop.addEventListener("click", () => report(sim.reconnect(), "reconnect"));
  buttons.append(drop);
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
    setModes(c) {
      const el = $("modes");
      if (el)
        el.textContent =
          `wa ${c.wa} · comms ${c.comms}${c.comms === "worker" && c.worker ? ` (${c.worker}, ${c.gate})` : ""} · ` +
          `modules ${c.modules} · dict ${c.dict} (v${c.dictVersion}) · sockets ${c.sockets}` +
          `${c.names === "renamed" ? " · names renamed" : ""}`;
    },
    addRow(e) {
      pending.push(e);
      if (!flushTimer) flushTimer = setTimeout(flush, UI_FLUSH_MS);
    },
  };
}
