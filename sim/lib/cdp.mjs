/**
 * A minimal Chrome DevTools Protocol driver for the self-check: launches Chromium with
 * `--remote-debugging-pipe` (NUL-separated JSON on fds 3/4) and opens one page whose workers are
 * auto-attached **paused** (`waitForDebuggerOnStart`), so a script can be evaluated in a worker before
 * any of its own code runs: the route the extension's deep capture would take with chrome.debugger.
 * Being the only DevTools client is what makes that ordering reliable (a second client, such as a
 * Playwright connection, may resume the worker first).
 * @module sim/lib/cdp
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * @typedef {object} Cdp
 * @property {(method: string, params?: object, sessionId?: string) => Promise<any>} send
 * @property {(method: string, fn: (params: any, sessionId?: string) => void) => void} on
 * @property {() => Promise<void>} close
 */

/**
 * @param {{executablePath: string, args: string[]}} opts
 * @returns {Promise<Cdp>}
 */
export async function launchChromium({ executablePath, args }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "wa-sim-cdp-"));
  const proc = spawn(
    executablePath,
    [
      "--headless=new",
      "--remote-debugging-pipe",
      `--user-data-dir=${profile}`,
      "--no-first-run",
      "--no-default-browser-check",
      ...args,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  const toChrome = /** @type {import("node:stream").Writable} */ (proc.stdio[3]);
  const fromChrome = /** @type {import("node:stream").Readable} */ (proc.stdio[4]);
  let nextId = 1;
  const pending = new Map();
  const listeners = new Map();
  let chunks = [];
  fromChrome.on("data", (chunk) => {
    let start = 0;
    for (let i = chunk.indexOf(0); i >= 0; i = chunk.indexOf(0, start)) {
      chunks.push(chunk.subarray(start, i));
      const msg = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      chunks = [];
      start = i + 1;
      if (msg.id != null) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p?.resolve(msg.result);
      } else for (const fn of listeners.get(msg.method) ?? []) fn(msg.params, msg.sessionId);
    }
    if (start < chunk.length) chunks.push(chunk.subarray(start));
  });
  const failAll = () => {
    for (const p of pending.values()) p.reject(new Error(`${p.method}: Chromium exited`));
    pending.clear();
  };
  proc.once("exit", failAll);
  const cdp = {
    send(method, params = {}, sessionId) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, method });
        toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      });
    },
    on(method, fn) {
      listeners.set(method, [...(listeners.get(method) ?? []), fn]);
    },
    async close() {
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      cdp.send("Browser.close").catch(() => {});
      await exited;
      clearTimeout(timer);
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
  // The browser is ready once it answers.
  await cdp.send("Browser.getVersion");
  return cdp;
}

/**
 * Opens a page with `initScript` evaluated before any page script, and `workerScript` evaluated in
 * every worker the page starts, before the worker's own script.
 * @param {Cdp} cdp
 * @param {{initScript: string, workerScript: string}} opts
 */
export async function openPage(cdp, { initScript, workerScript }) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const page = {
    sessionId,
    /** page exceptions and console errors */
    errors: [],
    /** `{url, sessionId, ok, error?}` per worker, in start order */
    workers: [],
    /**
     * Evaluates `fn(arg)` (or an expression string) in the page, or in `sessionId`'s context.
     * @returns {Promise<any>} the result by value
     */
    async evaluate(fn, arg, inSession = sessionId) {
      const expression =
        typeof fn === "function" ? `(${fn})(${arg === undefined ? "" : JSON.stringify(arg)})` : String(fn);
      const r = await cdp.send(
        "Runtime.evaluate",
        { expression, awaitPromise: true, returnByValue: true },
        inSession,
      );
      if (r.exceptionDetails) {
        const d = r.exceptionDetails;
        throw new Error(`evaluate: ${d.exception?.description ?? d.text}`);
      }
      return r.result.value;
    },
    /** Polls `expression` until it is truthy. */
    async waitFor(expression, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (await page.evaluate(`Boolean(${expression})`).catch(() => false)) return;
        if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    goto(url) {
      return cdp.send("Page.navigate", { url }, sessionId);
    },
  };
  cdp.on("Target.attachedToTarget", async (p, parent) => {
    if (parent !== sessionId) return;
    const child = p.sessionId;
    if (p.targetInfo.type === "worker") {
      const entry = { url: p.targetInfo.url, sessionId: child, ok: true };
      try {
        const r = await cdp.send("Runtime.evaluate", { expression: workerScript }, child);
        if (r.exceptionDetails) Object.assign(entry, { ok: false, error: r.exceptionDetails.text });
      } catch (err) {
        Object.assign(entry, { ok: false, error: String(err?.message ?? err) });
      }
      page.workers.push(entry);
    }
    await cdp.send("Runtime.runIfWaitingForDebugger", {}, child).catch(() => {});
  });
  cdp.on("Runtime.exceptionThrown", (p, s) => {
    if (s === sessionId)
      page.errors.push(p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text);
  });
  cdp.on("Runtime.consoleAPICalled", (p, s) => {
    if (s === sessionId && p.type === "error")
      page.errors.push(p.args.map((a) => a.value ?? a.description ?? "").join(" "));
  });
  await cdp.send("Runtime.enable", {}, sessionId);
  await cdp.send("Page.enable", {}, sessionId);
  await cdp.send("Page.addScriptToEvaluateOnNewDocument", { source: initScript }, sessionId);
  await cdp.send(
    "Target.setAutoAttach",
    { autoAttach: true, waitForDebuggerOnStart: true, flatten: true },
    sessionId,
  );
  return page;
}
