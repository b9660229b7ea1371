/**
 * The simulator's server core: HTTPS on 127.0.0.1 with a self-signed web.whatsapp.com certificate, the
 * simulator page (rendered per mode) and its static files, a `ws` chat endpoint on `/ws/chat`, and the
 * control API (`GET /sim/config`, `POST /sim/scenario`, `POST /sim/drop`, `GET /sim/log`).
 * `sim/server.mjs` runs it in a worker thread (or in-process); its CLI runs it directly.
 * @module sim/lib/core
 */
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNode, encodeNode } from "whatsapp-rust-bridge";
import { WebSocketServer } from "ws";
import { parseModes } from "../page/modes.js";
import {
  ALL_SCENARIOS,
  DEFAULT_TIMING,
  JIDS,
  MORE_SCENARIOS,
  SCENARIOS,
  warmUpCodec,
} from "../page/shared.js";
import {
  BUNDLE_FILES,
  bundleSource,
  hiddenBundle,
  hiddenOnDemandBundle,
  renderIndex,
  workerInitScript,
} from "./assets.mjs";
import { ensureCert } from "./cert.mjs";
import { SimConnection } from "./connection.mjs";
import { x25519KeyPair } from "./noise.mjs";
import { ensureTransportStats } from "./transport2026.mjs";

const SIM_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PAGE_DIR = path.join(SIM_DIR, "page");
const BRIDGE_FILE = fileURLToPath(import.meta.resolve("whatsapp-rust-bridge"));
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/** The origin the page is served under (Chromium maps it to the local port). */
export const ORIGIN = "https://web.whatsapp.com";

/**
 * @typedef {object} SimLogEntry
 * @property {number} t epoch milliseconds (performance.timeOrigin + performance.now())
 * @property {"in"|"out"} dir from the server's point of view: "in" = received from the page
 * @property {number} conn connection number
 * @property {string|null} session the page session that opened the connection
 * @property {"primary"|"secondary"} role the page's main connection, or its second, passive one
 *   (`?sockets=2`)
 * @property {string} tag
 * @property {string} [id]
 * @property {string} [callId] call-id of a `<call>` or offer receipt, or of the stanza an ack/receipt answers
 * @property {string} [action] call action tag; for an ack its `type`
 * @property {string} [class] @property {string} [type] @property {string} [from] @property {string} [to]
 * @property {string} [reason]
 */

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port=0] 0 picks a free port
 * @property {number} [ackDelayMs=150] delay before the server acks each `<call>` it receives
 * @property {number} [ringMs=1500] ring time before the page gives up an outgoing call (page side)
 * @property {number} [talkMs=1000] talk time of the answered call before the peer hangs up
 * @property {number} [chatterMs=250] background chatter period, both directions (0 disables it)
 * @property {string} [certDir] where key.pem/cert.pem live (default `sim/.cert/`)
 */

/**
 * Starts the simulator's HTTPS + WebSocket server in the current thread.
 * @param {SimulatorOptions} [options]
 * @param {{record?: (entry: SimLogEntry) => void}} [hooks] `record` receives every log entry as it is made
 * @returns {Promise<{port: number, origin: string, close: () => Promise<void>, log: SimLogEntry[], stats: object,
 *   options: object}>}
 */
export async function startCore(options = {}, hooks = {}) {
  const opts = {
    ...DEFAULT_TIMING,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const port = opts.port ?? 0;
  const certDir = opts.certDir ?? path.join(SIM_DIR, ".cert");
  const { key, cert } = ensureCert(certDir);
  warmUpCodec({ encodeNode, decodeNode });
  const staticKey = x25519KeyPair();
  const certificate = Buffer.from(
    JSON.stringify({
      issuer: "WA Web Simulator",
      subject: "web.whatsapp.com",
      key: staticKey.pub.toString("hex"),
    }),
  );
  /** @type {SimLogEntry[]} */
  const log = [];
  const stats = ensureTransportStats({
    connections: 0,
    wsMessagesSent: 0,
    splitMessages: 0,
    coalescedMessages: 0,
    compressedFrames: 0,
    maxAckTimerLateMs: 0,
    /** connections per dictionary version announced in the header (`57 41 06 vv`) */
    dictVersions: {},
    /** frames the server sent in a dictionary other than v3, and how many of them differ from v3 */
    remappedFrames: 0,
    remappedFramesChanged: 0,
    /** sockets closed by `POST /sim/drop`, and when (epoch ms) */
    drops: 0,
    dropTimes: [],
    errors: [],
  });
  const timing = {
    ackDelayMs: opts.ackDelayMs,
    ringMs: opts.ringMs,
    talkMs: opts.talkMs,
    chatterMs: opts.chatterMs,
  };
  const sim = {
    log,
    options: timing,
    staticKey,
    certificate,
    stats,
    sessions: new Map(),
    passiveSessions: new Map(),
    record: (e) => {
      log.push(e);
      hooks.record?.(e);
    },
  };
  const conns = new Set();

  const server = https.createServer({ key, cert }, (req, res) => {
    handleHttp(req, res, sim, timing).catch((err) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err?.stack ?? err));
    });
  });
  server.keepAliveTimeout = 120000;
  const wss = new WebSocketServer({ server, path: "/ws/chat", perMessageDeflate: false });
  wss.on("connection", (ws) => {
    stats.connections += 1;
    const c = new SimConnection(ws, sim, stats.connections);
    conns.add(c);
    ws.on("close", () => conns.delete(c));
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = /** @type {import("node:net").AddressInfo} */ (server.address()).port;

  let closing;
  return {
    port: actualPort,
    origin: ORIGIN,
    log,
    stats,
    options: { ...timing, port: actualPort, certDir },
    close() {
      closing ??= new Promise((resolve) => {
        for (const c of conns) c.close();
        wss.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {object} sim
 * @param {object} timing
 */
async function handleHttp(req, res, sim, timing) {
  const url = new URL(req.url ?? "/", ORIGIN);
  const json = (status, body) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === "/sim/config" && req.method === "GET") {
    json(200, { ...timing, scenarios: SCENARIOS, moreScenarios: MORE_SCENARIOS, jids: JIDS });
    return;
  }
  if (url.pathname === "/sim/scenario" && req.method === "POST") {
    let body = {};
    try {
      body = JSON.parse((await readBody(req)) || "{}");
    } catch {
      json(400, { error: "bad JSON" });
      return;
    }
    if (!ALL_SCENARIOS.includes(body.name)) {
      json(404, { error: `unknown scenario ${body.name}` });
      return;
    }
    const secondary = body.name === "incoming-second-socket";
    const conn = (secondary ? sim.passiveSessions : sim.sessions).get(body.session);
    if (!conn) {
      json(409, {
        error: secondary
          ? "no second (passive) chat socket for this session: load the page with ?sockets=2"
          : "no chat socket for this session",
      });
      return;
    }
    json(200, { name: body.name, ...conn.startScenario(body.name, body) });
    return;
  }
  if (url.pathname === "/sim/drop" && req.method === "POST") {
    let body = {};
    try {
      body = JSON.parse((await readBody(req)) || "{}");
    } catch {
      json(400, { error: "bad JSON" });
      return;
    }
    const conn = (body.role === "secondary" ? sim.passiveSessions : sim.sessions).get(body.session);
    if (!conn) {
      json(409, { error: `no ${body.role ?? "primary"} chat socket for this session` });
      return;
    }
    json(200, { dropped: conn.drop() });
    return;
  }
  if (url.pathname === "/sim/log" && req.method === "GET") {
    json(200, { stats: sim.stats, log: sim.log });
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405);
    res.end();
    return;
  }
  const send = (type, text) => {
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : text);
  };
  if (url.pathname === "/" || url.pathname === "/index.html") {
    send(MIME[".html"], renderIndex(parseModes(url.search)));
    return;
  }
  if (url.pathname === "/bundles/hidden.js") {
    send(MIME[".js"], hiddenBundle(parseModes(url.search)));
    return;
  }
  if (url.pathname === "/bundles/hidden-ondemand.js") {
    send(MIME[".js"], hiddenOnDemandBundle(url.searchParams.get("name") ?? "", parseModes(url.search)));
    return;
  }
  const bundle = /^\/bundles\/([a-z0-9-]+)\.js$/.exec(url.pathname)?.[1];
  if (bundle && BUNDLE_FILES.includes(bundle)) {
    send(MIME[".js"], bundleSource(bundle, parseModes(url.search)));
    return;
  }
  if (url.pathname === "/static_resources/webworker_v4/init_script/") {
    // The 2026 backend worker (WebWorkerV4Resource): a module or a classic script per worker_type.
    const type = url.searchParams.get("worker_type") === "CLASSIC" ? "CLASSIC" : "MODULE";
    send(MIME[".js"], workerInitScript(type, parseModes(url.search)));
    return;
  }
  let file;
  if (url.pathname === "/vendor/whatsapp-rust-bridge.js") file = BRIDGE_FILE;
  else {
    file = path.join(PAGE_DIR, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(PAGE_DIR + path.sep)) file = null;
  }
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": MIME[path.extname(file)] ?? "application/octet-stream",
    "cache-control": "no-store",
  });
  if (req.method === "HEAD") res.end();
  else fs.createReadStream(file).pipe(res);
}

/** @param {import("node:http").IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
