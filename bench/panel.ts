/**
 * Panel benchmark, in Debian Chromium with the built extension (`npx vite build` first) and
 * the WhatsApp Web simulator. Everything goes through the real tap → relay → background →
 * panel path:
 *
 * 1. tap-to-panel delay: simulator calls run back to back (short timings); for every stanza
 *    the delay from the tap's capture time `t` to the frame in which the panel rendered it;
 * 2. a synthetic session of 100,000 stanzas across 2,000 calls is injected through the relay
 *    (the tap's own event channel), then a fresh panel is opened: time to first render (first
 *    paint with call rows, from navigation start), time until the whole backlog is in, JS heap;
 * 3. filter: time from a filter change to the next frame (action chip, text, regex; the
 *    slowest is reported);
 * 4. live: 200 stanzas/s for a while on top of that session, call list and ladder in view; the
 *    longest main-thread task in the panel while live events arrive (Long Tasks API, observed
 *    from 1 s after the switch to that view, which is timed and logged apart as a user action;
 *    when no task reaches 50 ms, the longest frame gap minus one frame is reported instead, as
 *    an upper bound).
 *
 * Ends with `RESULT first_render_ms=<n> filter_ms=<n> longest_task_ms=<n> tap_to_panel_p99_ms=<n> heap_mb=<n>`.
 * `--quick`: 10,000 stanzas / 200 calls and shorter phases (CI smoke).
 * Run: `npx tsx bench/panel.ts [--quick]`.
 */
import { loadavg } from "node:os";
import type { Page } from "playwright-core";
import { type Harness, launch } from "../e2e/harness";

const quick = process.argv.includes("--quick");
const CALLS = quick ? 200 : 2_000;
const PER_CALL = 50;
const TAP_PHASE_MS = quick ? 4_000 : 15_000;
const LIVE_MS = quick ? 3_000 : 10_000;
const LIVE_RATE = 200;
const TAP_EVENT = "wa-call-inspector/tap:batch";

type SimWindow = {
  __sim: { ready: Promise<unknown>; run(name: string): Promise<unknown>; scenarios: string[] };
};

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** tsx (esbuild `keepNames`) wraps functions in `__name(...)`; evaluated code needs the helper. */
const NAME_SHIM = "globalThis.__name = globalThis.__name || ((f) => f);";

async function openPanel(h: Harness, tabId: number): Promise<Page> {
  const panel = await h.context.newPage();
  await panel.addInitScript(NAME_SHIM);
  await panel.setViewportSize({ width: 1400, height: 900 });
  // Records when the first call row was painted, relative to navigation start.
  await panel.addInitScript(() => {
    const w = window as unknown as { __firstRowPaint?: number };
    const obs = new MutationObserver(() => {
      if (w.__firstRowPaint !== undefined) return;
      if (!document.querySelector("[data-testid=call-list] tbody tr[data-call-id]")) return;
      obs.disconnect();
      requestAnimationFrame(() => setTimeout(() => (w.__firstRowPaint = performance.now()), 0));
    });
    document.addEventListener("DOMContentLoaded", () =>
      obs.observe(document.body, { childList: true, subtree: true }),
    );
  });
  await panel.goto(`chrome-extension://${h.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await panel.bringToFront();
  return panel;
}

/** Installs the delay recorder in a panel: tap `t` → the frame that rendered the stanza. */
async function recordDelays(panel: Page): Promise<void> {
  await panel.waitForFunction(() => (window as unknown as { __waCallsPanel?: unknown }).__waCallsPanel);
  await panel.evaluate(() => {
    type Store = {
      index: { rows: { seq: number; t: number }[] };
      subscribe(l: () => void): () => void;
    };
    const w = window as unknown as { __waCallsPanel: Store; __delays: number[] };
    const store = w.__waCallsPanel;
    w.__delays = [];
    let seen = store.index.rows.length ? store.index.rows[store.index.rows.length - 1].seq : -1;
    store.subscribe(() => {
      const rows = store.index.rows;
      const fresh: number[] = [];
      for (let i = rows.length - 1; i >= 0 && rows[i].seq > seen; i--) fresh.push(rows[i].t);
      if (rows.length) seen = rows[rows.length - 1].seq;
      // The render runs in this frame; a task posted now runs after its paint.
      setTimeout(() => {
        const now = performance.timeOrigin + performance.now();
        for (const t of fresh) w.__delays.push(now - t);
      }, 0);
    });
  });
}

/** Builds and injects a synthetic session through the relay, from inside the page. */
async function injectSession(page: Page, calls: number, perCall: number): Promise<number> {
  return page.evaluate(
    ({ calls, perCall, event }) => {
      const me = "15550001111:12@s.whatsapp.net";
      const start = Date.now() - 3 * 3600_000;
      const msgs: unknown[] = [];
      let idn = 0;
      const push = (direction: string, t: number, node: unknown) =>
        msgs.push({ type: "stanza", stanza: { direction, t, tap: "comms-config", node } });
      for (let c = 0; c < calls; c++) {
        const peer = `1555${String(1_000_000 + (c % 300)).padStart(7, "0")}@s.whatsapp.net`;
        const callId = `C${c.toString(16).toUpperCase().padStart(31, "0")}`;
        const out = c % 2 === 0;
        const creator = out ? me : peer;
        const ca = { "call-id": callId, "call-creator": creator };
        let t = start + c * 4000;
        let n = 0;
        const stanza = (
          dir: string,
          action: string,
          extra: Record<string, string> = {},
          kids?: unknown[],
        ) => {
          const id = `S${idn++}`;
          const env = dir === "out" ? { to: peer, id } : { from: peer, id, t: String(Math.floor(t / 1000)) };
          push(dir, t, {
            tag: "call",
            attrs: env,
            content: [{ tag: action, attrs: { ...ca, ...extra }, content: kids }],
          });
          n++;
          t += 3 + (idn % 7);
          push(dir === "out" ? "in" : "out", t, {
            tag: "ack",
            attrs:
              dir === "out"
                ? { class: "call", id, type: action, from: peer }
                : { class: "call", id, to: peer },
          });
          n++;
          t += 40 + (idn % 50);
          return id;
        };
        const offerKids = [
          { tag: "audio", attrs: { enc: "opus", rate: "16000" } },
          { tag: "audio", attrs: { enc: "opus", rate: "8000" } },
          { tag: "net", attrs: { medium: "3" } },
          { tag: "capability", attrs: { ver: "1" }, content: { b64: "AQID" } },
          { tag: "encopt", attrs: { keygen: "2" } },
        ];
        const offerId = stanza(out ? "out" : "in", "offer", {}, offerKids);
        push(out ? "in" : "out", t, {
          tag: "receipt",
          attrs: out ? { id: offerId, from: peer } : { id: offerId, to: peer },
          content: [{ tag: "offer", attrs: ca }],
        });
        n++;
        stanza(out ? "in" : "out", "preaccept");
        stanza(out ? "in" : "out", "accept");
        while (n < perCall - 2) {
          const k = n % 3;
          if (k === 0) stanza(out ? "out" : "in", "transport", { "transport-message-type": "1" });
          else if (k === 1)
            stanza(out ? "in" : "out", "relaylatency", {}, [{ tag: "te", attrs: { latency: "33554477" } }]);
          else stanza("out", "mute_v2", { "mute-state": String(n % 2) });
        }
        stanza(out ? "out" : "in", "terminate", c % 5 === 0 ? { reason: "timeout" } : {});
      }
      // Through the relay's own channel, in batches as the tap sends them.
      for (let i = 0; i < msgs.length; i += 500) {
        document.dispatchEvent(new CustomEvent(event, { detail: JSON.stringify(msgs.slice(i, i + 500)) }));
      }
      return msgs.length;
    },
    { calls, perCall, event: TAP_EVENT },
  );
}

/**
 * Feeds live call stanzas into the relay's channel from the page at `rate` per second for
 * `ms` (in 50 ms batches), each stamped with its dispatch time as `t`.
 */
async function feedLive(page: Page, ms: number, rate: number): Promise<void> {
  await page.evaluate(
    ({ ms, rate, event }) =>
      new Promise<void>((resolve) => {
        const peer = "15559999999@s.whatsapp.net";
        const perTick = Math.max(1, Math.round(rate / 20));
        let n = 0;
        const end = performance.now() + ms;
        const timer = setInterval(() => {
          const batch = [];
          for (let i = 0; i < perTick; i++, n++) {
            const callId = `LIVE${String(Math.floor(n / 40)).padStart(28, "0")}`;
            const t = performance.timeOrigin + performance.now();
            const action = n % 40 === 0 ? "offer" : n % 40 === 39 ? "terminate" : "transport";
            batch.push({
              type: "stanza",
              stanza: {
                direction: n % 2 ? "in" : "out",
                t,
                tap: "comms-config",
                node: {
                  tag: "call",
                  attrs: { id: `L${n}`, to: peer },
                  content: [{ tag: action, attrs: { "call-id": callId, "call-creator": peer } }],
                },
              },
            });
          }
          document.dispatchEvent(new CustomEvent(event, { detail: JSON.stringify(batch) }));
          if (performance.now() >= end) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
      }),
    { ms, rate, event: TAP_EVENT },
  );
}

async function main(): Promise<void> {
  // WA_DIST: load another extension build than dist/ (e.g. a private one while others rebuild dist/).
  const h = await launch({
    dist: process.env.WA_DIST || undefined,
    sim: { ackDelayMs: 5, ringMs: 300, talkMs: 200, chatterMs: 0 },
  });
  try {
    await h.page.waitForFunction(() => (window as unknown as Partial<SimWindow>).__sim !== undefined);
    await h.page.evaluate(() => (window as unknown as SimWindow).__sim.ready);
    await h.page.evaluate(NAME_SHIM);
    const tabId = await h.tabId();

    // 1. Tap-to-panel delay on simulator calls.
    let panel = await openPanel(h, tabId);
    await panel.getByTestId("health").waitFor();
    await panel.evaluate(
      ({ tabId }) =>
        chrome.runtime
          .connect({ name: `wa-call-inspector/panel:${tabId}` })
          .postMessage({ type: "set-cap", cap: 500_000 }),
      { tabId },
    );
    await recordDelays(panel);
    const end = Date.now() + TAP_PHASE_MS;
    let runs = 0;
    while (Date.now() < end) {
      await h.page.evaluate(async () => {
        const sim = (window as unknown as SimWindow).__sim;
        for (const name of sim.scenarios) await sim.run(name);
      });
      runs++;
    }
    await new Promise((r) => setTimeout(r, 500));
    const tapDelays = await panel.evaluate(() => (window as unknown as { __delays: number[] }).__delays);
    const tapP99 = percentile(tapDelays, 99);
    log(
      `tap→panel: ${tapDelays.length} stanzas in ${runs} rounds; p50 ${percentile(tapDelays, 50).toFixed(1)} ms, p99 ${tapP99.toFixed(1)} ms, max ${Math.max(...tapDelays).toFixed(1)} ms`,
    );
    // 1b. The extension's own part: relay → background (stored) → panel painted, at 20 stanzas/s.
    await panel.evaluate(() => {
      (window as unknown as { __delays: number[] }).__delays = [];
    });
    await feedLive(h.page, quick ? 2_000 : 5_000, 20);
    await new Promise((r) => setTimeout(r, 500));
    const relayDelays = await panel.evaluate(() => (window as unknown as { __delays: number[] }).__delays);
    const relayP99 = percentile(relayDelays, 99);
    log(
      `relay→panel (stored, then painted): ${relayDelays.length} stanzas; p50 ${percentile(relayDelays, 50).toFixed(1)} ms, p99 ${relayP99.toFixed(1)} ms`,
    );
    await panel.close();

    // 2. Synthetic session through the relay, then a fresh panel.
    const t0 = Date.now();
    const injected = await injectSession(h.page, CALLS, PER_CALL);
    const expectTotal = injected;
    const probe = await h.context.newPage();
    await probe.addInitScript(NAME_SHIM);
    await probe.goto(`chrome-extension://${h.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await probe.waitForFunction(
      (n) => {
        const s = (window as unknown as { __waCallsPanel?: { index: { rows: unknown[] } } }).__waCallsPanel;
        return s !== undefined && s.index.rows.length >= n;
      },
      expectTotal,
      { timeout: 300_000, polling: 500 },
    );
    log(`injected ${injected} stanzas (${CALLS} calls) through the relay in ${Date.now() - t0} ms`);
    await probe.close();

    // First render: median of 3 fresh panels (the last one stays open for the next phases).
    const firsts: number[] = [];
    for (let k = 0; k < 3; k++) {
      if (k > 0) await panel.close();
      panel = await openPanel(h, tabId);
      await panel.waitForFunction(
        () => (window as unknown as { __firstRowPaint?: number }).__firstRowPaint,
        undefined,
        { timeout: 60_000, polling: 20 },
      );
      firsts.push(
        await panel.evaluate(() => (window as unknown as { __firstRowPaint: number }).__firstRowPaint),
      );
    }
    const firstRender = percentile(firsts, 50);
    log(`first render of 3 panels: ${firsts.map((x) => x.toFixed(0)).join(", ")} ms`);
    await panel.waitForFunction(
      (n) => {
        const s = (
          window as unknown as {
            __waCallsPanel: { index: { rows: unknown[] }; snapshot(): { loading: number } };
          }
        ).__waCallsPanel;
        return s.snapshot().loading === 0 && s.index.rows.length >= n;
      },
      expectTotal,
      { timeout: 120_000, polling: 20 },
    );
    const fullLoad = await panel.evaluate(() => performance.now());
    const callRows = await panel.locator("[data-testid=call-list] tbody tr").count();
    log(
      `first render ${firstRender.toFixed(0)} ms; whole backlog in ${fullLoad.toFixed(0)} ms; ${callRows} call rows in the DOM`,
    );

    // Optional CPU profile of the panel for phases 3-4 (PROFILE=<file.cpuprofile>).
    const profCdp = process.env.PROFILE ? await h.context.newCDPSession(panel) : undefined;

    // 3. Filters: change → next frame.
    // One round trip per measurement: the action runs in the page, then the next frame is awaited.
    const timeFilter = async (what: string, action: string) => {
      const ms = await panel.evaluate(
        (code) =>
          new Promise<number>((resolve) => {
            const start = performance.now();
            new Function(code)();
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
          }),
        action,
      );
      if (process.env.VERBOSE) log(`filter ${what}: ${ms.toFixed(1)} ms`);
      return ms;
    };
    const click = (id: string) => `document.querySelector('[data-testid="${id}"]').click();`;
    const typeText = (text: string) =>
      `const i = document.querySelector('[data-testid="filter-text"]'); i.value = ${JSON.stringify(text)}; i.dispatchEvent(new Event("input", { bubbles: true }));`;
    // Filters apply to the call list and to the 100,000-row stanza table; measured on the table.
    await panel.getByTestId("view-stanzas").click();
    await new Promise((r) => setTimeout(r, 500));
    // Each filter change is measured in 3 rounds (the machine is shared: the median of a step
    // is reported, then the slowest step).
    const steps: [string, string][] = [
      ["chip terminate", click("chip-terminate")],
      ["chip off", click("chip-terminate")],
      ["direction sent", click("dir-out")],
      ["direction all", click("dir-all")],
      ["text 'timeout'", typeText("timeout")],
      ["text cleared", typeText("")],
      ["regex 'mute-state=\"1\"'", click("filter-regex") + typeText('mute-state="1"')],
      ["regex cleared", typeText("") + click("filter-regex")],
      ["scope all captured", click("filter-scope")],
      ["scope calls only", click("filter-scope")],
    ];
    const rounds: number[][] = steps.map(() => []);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < steps.length; i++) rounds[i].push(await timeFilter(steps[i][0], steps[i][1]));
    }
    const filterTimes = rounds.map((r) => percentile(r, 50));
    log(`filter medians: ${steps.map(([name], i) => `${name} ${filterTimes[i].toFixed(0)}`).join(", ")} ms`);
    const filterMs = Math.max(...filterTimes);
    const heap = await (async () => {
      const cdp = await h.context.newCDPSession(panel);
      await cdp.send("HeapProfiler.collectGarbage");
      const u = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
      return u.usedSize / 1024 / 1024;
    })();
    log(`heap after load and filters: ${heap.toFixed(1)} MB`);

    // 4. Live at 200 stanzas/s on top of the large session, with the call list and the ladder
    // in view. The switch to that view is a user action of its own (reported apart, like a
    // filter change); the long-task observers start once it has settled, so that only tasks
    // made while live events arrive count.
    const switchMs = await panel.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const start = performance.now();
          (document.querySelector('[data-testid="view-calls"]') as HTMLElement).click();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        }),
    );
    log(`switch to the call list and ladder (100,000 stanzas, 2,000 calls): ${switchMs.toFixed(0)} ms`);
    await recordDelays(panel);
    await new Promise((r) => setTimeout(r, 1000));
    await panel.evaluate(() => {
      const w = window as unknown as { __long: number[]; __gap: number; __frames: boolean };
      w.__long = [];
      w.__gap = 0;
      w.__frames = true;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__long.push(e.duration);
          (w as unknown as { __longAt: number[] }).__longAt ??= [];
          (w as unknown as { __longAt: number[] }).__longAt.push(e.startTime);
        }
      }).observe({ type: "longtask", buffered: false });
      // Long animation frames, with the scripts that made them (for diagnosis).
      const loaf: unknown[] = [];
      (w as unknown as { __loaf: unknown[] }).__loaf = loaf;
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as {
            duration: number;
            blockingDuration: number;
            renderStart: number;
            startTime: number;
            styleAndLayoutStart: number;
            scripts: {
              invoker: string;
              sourceFunctionName: string;
              duration: number;
              forcedStyleAndLayoutDuration: number;
            }[];
          }[])
            loaf.push({
              duration: Math.round(e.duration),
              blocking: Math.round(e.blockingDuration),
              render: Math.round(e.startTime + e.duration - e.renderStart),
              layout: Math.round(e.startTime + e.duration - e.styleAndLayoutStart),
              scripts: e.scripts.map(
                (x) =>
                  `${x.invoker}:${x.sourceFunctionName}:${Math.round(x.duration)}ms(forced ${Math.round(x.forcedStyleAndLayoutDuration)})`,
              ),
            });
        }).observe({ type: "long-animation-frame", buffered: false });
      } catch {
        // not supported
      }
      let last = performance.now();
      const frame = (now: number) => {
        w.__gap = Math.max(w.__gap, now - last);
        last = now;
        if (w.__frames) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const perf = process.env.LOAF ? await h.context.newCDPSession(panel) : undefined;
    const metrics = async () => {
      if (!perf) return {} as Record<string, number>;
      const { metrics } = (await perf.send("Performance.getMetrics")) as {
        metrics: { name: string; value: number }[];
      };
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    };
    if (perf) await perf.send("Performance.enable");
    if (profCdp) {
      await profCdp.send("Profiler.enable");
      await profCdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await profCdp.send("Profiler.start");
    }
    const liveStart = await panel.evaluate(() => performance.now());
    const m0 = await metrics();
    const tracer = process.env.TRACE ? await h.context.browser()?.newBrowserCDPSession() : undefined;
    if (tracer)
      await tracer.send("Tracing.start", {
        traceConfig: {
          includedCategories: [
            "toplevel",
            "v8",
            "devtools.timeline",
            "disabled-by-default-v8.gc",
            "blink.user_timing",
          ],
        },
        transferMode: "ReturnAsStream",
      });
    const alloc = process.env.ALLOC ? await h.context.newCDPSession(panel) : undefined;
    if (alloc)
      await alloc.send("HeapProfiler.startSampling", {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    await feedLive(h.page, LIVE_MS, LIVE_RATE);
    if (alloc) await explainAllocations(alloc);
    if (process.env.TRACE && !tracer) log("trace: no browser CDP session");
    if (tracer) await explainLongTasks(tracer);
    await new Promise((r) => setTimeout(r, 500));
    const live = await panel.evaluate(() => {
      const w = window as unknown as {
        __long: number[];
        __gap: number;
        __frames: boolean;
        __delays: number[];
      };
      w.__frames = false;
      return {
        long: w.__long,
        longAt: (w as unknown as { __longAt?: number[] }).__longAt ?? [],
        gap: w.__gap,
        delays: w.__delays,
        loaf: (w as unknown as { __loaf: { duration: number }[] }).__loaf,
      };
    });
    if (perf) {
      const m1 = await metrics();
      const tags = await panel.evaluate(() => {
        const m: Record<string, number> = {};
        for (const el of document.querySelectorAll("*")) {
          const k = `${el.tagName}.${el.parentElement?.tagName ?? ""}.${(el.closest("[data-testid]") as HTMLElement | null)?.dataset.testid ?? ""}`;
          m[k] = (m[k] ?? 0) + 1;
        }
        return Object.entries(m)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8);
      });
      log(`dom: ${JSON.stringify(tags)}`);
      const d = (k: string) => (m1[k] - m0[k]).toFixed(3);
      log(
        `live metrics: nodes ${m1.Nodes} layouts ${d("LayoutCount")} (${d("LayoutDuration")} s) styles ${d("RecalcStyleCount")} (${d("RecalcStyleDuration")} s) script ${d("ScriptDuration")} s task ${d("TaskDuration")} s`,
      );
    }
    if (process.env.LOAF) {
      const top = [...live.loaf].sort((a, b) => b.duration - a.duration).slice(0, 6);
      for (const f of top) log(`LoAF ${JSON.stringify(f)}`);
    }
    if (profCdp && process.env.PROFILE) {
      const { profile } = (await profCdp.send("Profiler.stop")) as { profile: unknown };
      const { writeFileSync } = await import("node:fs");
      writeFileSync(process.env.PROFILE, JSON.stringify(profile));
      log(`profile written to ${process.env.PROFILE}`);
    }
    log(
      `long tasks at (ms after the live phase began): ${live.longAt.map((t, i) => `${(t - liveStart).toFixed(0)} (${live.long[i].toFixed(0)} ms)`).join(", ") || "-"}`,
    );
    const longest = live.long.length ? Math.max(...live.long) : Math.max(0, live.gap - 1000 / 60);
    log(
      `live ${LIVE_RATE}/s for ${LIVE_MS} ms: ${live.delays.length} stanzas shown; long tasks ${live.long.length} (max ${live.long.length ? Math.max(...live.long).toFixed(1) : "-"} ms); longest frame gap ${live.gap.toFixed(1)} ms; relay→panel under load p99 ${percentile(live.delays, 99).toFixed(1)} ms`,
    );

    const r = (v: number) => (Number.isFinite(v) ? Math.round(v) : -1);
    const targets = `targets: first_render<500 filter<100 longest_task<50 tap_to_panel_p99<100 heap<150`;
    log(targets);
    log(
      `relay_to_panel_p99_ms=${r(relayP99)} (the extension's own share of tap_to_panel: relay → stored → painted)`,
    );
    log(
      `load average during the run: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} (2 cores shared)`,
    );
    console.log(
      `RESULT first_render_ms=${r(firstRender)} filter_ms=${r(filterMs)} longest_task_ms=${r(longest)} tap_to_panel_p99_ms=${r(tapP99)} heap_mb=${r(heap)}`,
    );
  } finally {
    await h.close();
  }
}

/**
 * Diagnosis (`ALLOC=1`): what the panel allocated during the live phase (sampling heap
 * profiler, including garbage), by function, largest first. Allocation drives GC frequency.
 */
async function explainAllocations(cdp: import("playwright-core").CDPSession): Promise<void> {
  type Node = {
    callFrame: { functionName: string; url: string; lineNumber: number };
    selfSize: number;
    children: Node[];
  };
  const { profile } = (await cdp.send("HeapProfiler.stopSampling", {})) as unknown as {
    profile: { head: Node };
  };
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: Node, path: string[]): void => {
    const f = n.callFrame;
    const here = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
    if (n.selfSize) {
      const key = [...path.slice(-2), here].join(" < ");
      bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, [...path, here]);
  };
  walk(profile.head, []);
  log(`allocated during live (sampled): ${(total / 1024 / 1024).toFixed(1)} MB`);
  for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 12))
    log(`  ${(v / 1024 / 1024).toFixed(2)} MB  ${k}`);
}

/**
 * Diagnosis (`TRACE=1`): stops the browser-wide trace of the live phase and prints, for each
 * task over 50 ms in any process (panel, page, service worker), its thread and its longest
 * nested events (e.g. `MajorGC`, `V8.GC_MARK_COMPACTOR`, `FunctionCall`, `ParseHTML`).
 */
async function explainLongTasks(tracer: import("playwright-core").CDPSession): Promise<void> {
  const done = new Promise<string>((resolve) =>
    tracer.once("Tracing.tracingComplete", (e: { stream?: string }) => resolve(e.stream ?? "")),
  );
  await tracer.send("Tracing.end");
  const handle = await done;
  let text = "";
  for (;;) {
    const r = (await tracer.send("IO.read", { handle, size: 1 << 20 })) as { data: string; eof: boolean };
    text += r.data;
    if (r.eof) break;
  }
  type Ev = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; cat: string };
  const events = JSON.parse(text) as { traceEvents: Ev[] } | Ev[] as { traceEvents?: Ev[] };
  const list: Ev[] = Array.isArray(events) ? (events as unknown as Ev[]) : (events.traceEvents ?? []);
  const names = new Map<string, string>();
  for (const e of list as (Ev & { args?: { name?: string; labels?: string } })[]) {
    if (e.ph !== "M") continue;
    if (e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
    if (e.name === "process_labels") names.set(`${e.pid}`, e.args?.labels ?? "");
  }
  // The panel's renderer: the process whose script events name the panel's bundle.
  const panelPids = new Set<number>();
  for (const e of list as (Ev & { args?: { data?: { url?: string; scriptName?: string } } })[]) {
    const url = e.args?.data?.url ?? e.args?.data?.scriptName ?? "";
    if (url.includes("/assets/panel-")) panelPids.add(e.pid);
  }
  for (const pid of panelPids) names.set(`${pid}`, `${names.get(`${pid}`) ?? ""} [panel]`.trim());
  const long = list.filter(
    (e) =>
      e.ph === "X" &&
      e.cat.includes("toplevel") &&
      (e.dur ?? 0) >
        (panelPids.has(e.pid) && names.get(`${e.pid}:${e.tid}`) === "CrRendererMain" ? 30_000 : 50_000),
  );
  log(
    `trace: ${list.length} events, ${long.length} tasks over 50 ms in any process (over 30 ms on the panel's main thread); panel pid ${[...panelPids].join(",") || "not found"}`,
  );
  for (const task of long) {
    const inner = list
      .filter(
        (e) =>
          e.ph === "X" &&
          e.pid === task.pid &&
          e.tid === task.tid &&
          e !== task &&
          e.ts >= task.ts &&
          e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0),
      )
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 8)
      .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)}ms`);
    log(
      `long task ${((task.dur ?? 0) / 1000).toFixed(1)} ms (pid ${task.pid} ${names.get(`${task.pid}`) ?? ""} ${names.get(`${task.pid}:${task.tid}`) ?? ""} at ${task.ts}): ${inner.join(", ")}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
