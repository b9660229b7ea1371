// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { App, type PanelActions } from "../../src/panel/App";
import { syncStore } from "../../src/panel/state";
import type { CapturedStanza } from "../../src/shared/trace/types";
import { noopActions } from "./fixtures";

const PEER = "15550002222@s.whatsapp.net";
const stanzas: CapturedStanza[] = [
  {
    seq: 0,
    direction: "in",
    t: 1000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { from: PEER, id: "i1" },
      content: [{ tag: "offer", attrs: { "call-id": "CID1", "call-creator": PEER } }],
    },
  },
  {
    seq: 1,
    direction: "out",
    t: 1003,
    tap: "comms-config",
    node: { tag: "ack", attrs: { class: "call", id: "i1" } },
  },
  {
    seq: 2,
    direction: "in",
    t: 2000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { from: PEER, id: "i2" },
      content: [
        {
          tag: "terminate",
          attrs: { "call-id": "CID1", "call-creator": PEER, reason: "accepted_elsewhere", "x-new": "1" },
        },
      ],
    },
  },
];

afterEach(cleanup);

const noop = noopActions;

function loaded(list = stanzas) {
  const store = syncStore();
  store.receive({
    type: "backlog",
    tabId: 1,
    stanzas: list,
    health: { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 },
  });
  return store;
}

describe("panel store", () => {
  it("a backlog and the same stanzas live give the same calls; duplicates are ignored", () => {
    const viaBacklog = loaded();
    const live = loaded([]);
    for (const s of stanzas) live.receive({ type: "stanza", stanza: s });
    live.receive({ type: "stanzas", stanzas: [stanzas[1]] });
    expect(live.index.rows.map((r) => r.seq)).toEqual(viaBacklog.index.rows.map((r) => r.seq));
    expect(live.index.calls()).toHaveLength(1);
    live.receive({ type: "cleared", reason: "user" });
    expect(live.index.rows).toEqual([]);
  });

  it("holds live messages while paused and applies them on resume", () => {
    const store = loaded(stanzas.slice(0, 1));
    store.setPaused(true);
    store.receive({ type: "stanzas", stanzas: stanzas.slice(1) });
    expect(store.snapshot().held).toBe(2);
    expect(store.index.rows).toHaveLength(1);
    store.setPaused(false);
    expect(store.index.rows).toHaveLength(3);
    expect(store.snapshot().held).toBe(0);
  });

  it("assembles a chunked backlog", () => {
    const store = syncStore();
    const h = { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 };
    store.receive({ type: "backlog", tabId: 1, stanzas: stanzas.slice(0, 2), health: h, more: 1 });
    expect(store.snapshot().loading).toBe(1);
    store.receive({ type: "backlog-chunk", stanzas: stanzas.slice(2), more: 0 });
    expect(store.snapshot().loading).toBe(0);
    expect(store.index.calls()[0].state).toBe("accepted-elsewhere");
  });
});

describe("panel view", () => {
  it("shows one row per call with state and reason, and the ladder with ack latency and reason", () => {
    const { container, getByTestId } = render(<App store={loaded()} actions={noop} />);
    const rows = container.querySelectorAll("[data-testid=call-list] tbody tr");
    expect(rows).toHaveLength(1);
    expect(rows[0].getAttribute("data-state")).toBe("accepted-elsewhere");
    expect(rows[0].getAttribute("data-reason")).toBe("accepted_elsewhere");
    expect(getByTestId("call-reason").textContent).toMatch(/answered on another of the user's devices/);
    const offer = container.querySelector("[data-testid=ladder] g[data-action=offer]");
    expect(offer?.getAttribute("data-ack-latency")).toBe("3.000");
    const ack = container.querySelector("[data-testid=ladder] g[data-action=ack]");
    expect(ack?.getAttribute("data-answers")).toBe("0");
    expect(container.querySelectorAll("[data-testid=bracket]")).toHaveLength(1);
    const reason = container.querySelector(
      "[data-testid=ladder] g[data-action=terminate] [data-testid=arrow-reason]",
    );
    expect(reason?.textContent).toMatch(/accepted_elsewhere — answered on another.*speculative/);
  });

  it("opens the inspector with annotated attributes and unknown ones highlighted", () => {
    const { container, getByTestId } = render(<App store={loaded()} actions={noop} />);
    const term = container.querySelector("[data-testid=ladder] g[data-action=terminate]") as Element;
    fireEvent.click(term);
    const insp = getByTestId("inspector");
    expect(getByTestId("inspector-xml").textContent).toContain('<terminate call-id="CID1"');
    const unknown = insp.querySelector('tr[data-attr="x-new"]');
    expect(unknown?.getAttribute("data-known")).toBe("false");
    const reason = insp.querySelector('tr[data-attr="reason"]');
    expect(reason?.getAttribute("data-known")).toBe("true");
    expect(getByTestId("unknown-count").textContent).toMatch(/1 unknown/);
  });

  it("filters by chip and by text, and says why it is empty", () => {
    const { container, getByTestId } = render(<App store={loaded()} actions={noop} />);
    fireEvent.click(getByTestId("view-stanzas"));
    expect(container.querySelectorAll("[data-testid=stanza-table] tbody tr")).toHaveLength(3);
    fireEvent.click(getByTestId("chip-ack"));
    expect(container.querySelectorAll("[data-testid=stanza-table] tbody tr")).toHaveLength(1);
    fireEvent.click(getByTestId("chip-ack"));
    fireEvent.input(getByTestId("filter-text"), { target: { value: "accepted_elsewhere" } });
    expect(container.querySelectorAll("[data-testid=stanza-table] tbody tr")).toHaveLength(1);
    expect(getByTestId("match-count").textContent).toMatch(/1 matches/);
  });

  it("says why it is empty", () => {
    const store = syncStore();
    store.receive({
      type: "backlog",
      tabId: 1,
      stanzas: [],
      health: {
        taps: [{ name: "comms-config", installed: true, live: true }],
        seenByTag: { message: 4, iq: 2 },
        forwarded: 0,
        filtered: 6,
        errors: 0,
      },
    });
    const { getByTestId } = render(<App store={store} actions={noop} />);
    expect(getByTestId("empty").textContent).toBe(
      "6 stanzas seen, none were call stanzas. Make or receive a call.",
    );
  });
});

describe("panel store flow control", () => {
  it("holds live stanzas until the backlog is complete, and asks for each part", () => {
    const store = syncStore();
    let asked = 0;
    store.onNeedMore = () => asked++;
    const h = { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 };
    store.receive({ type: "backlog", tabId: 1, stanzas: stanzas.slice(0, 1), health: h, more: 1 });
    store.receive({ type: "stanzas", stanzas: [{ ...stanzas[2], seq: 7 }] });
    expect(store.index.rows.map((r) => r.seq)).toEqual([0]);
    store.receive({ type: "backlog-chunk", stanzas: stanzas.slice(1, 3), more: 0 });
    expect(store.index.rows.map((r) => r.seq)).toEqual([0, 1, 2, 7]);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(asked).toBe(1);
        resolve();
      }, 5),
    );
  });
});

describe("deep capture control", () => {
  const workerMode = () => {
    const store = syncStore();
    store.receive({
      type: "backlog",
      tabId: 1,
      stanzas: [],
      health: {
        taps: [{ name: "codec", installed: true, live: true }],
        seenByTag: { iq: 3 },
        forwarded: 0,
        filtered: 3,
        errors: 0,
        commsMode: "worker",
      },
    });
    return store;
  };

  it("explains the opt-in first, asks for the permission on Allow, and says when it was refused", async () => {
    let asked = 0;
    const actions: PanelActions = {
      ...noop,
      enableDeepCapture: async () => {
        asked++;
        return false;
      },
    };
    const { getByTestId, findByText, queryByRole } = render(<App store={workerMode()} actions={actions} />);
    expect(getByTestId("deep-capture").dataset.state).toBe("off");
    fireEvent.click(getByTestId("deep-capture-enable"));
    expect(asked).toBe(0);
    expect(queryByRole("dialog")?.textContent).toMatch(/"debugger" permission/);
    fireEvent.click(getByTestId("deep-capture-allow"));
    expect(asked).toBe(1);
    await findByText(/permission was not granted; deep capture stays off/);
  });

  it("shows the tapped workers and offers reload and turn off while on", () => {
    const store = workerMode();
    store.receive({
      type: "health",
      health: {
        taps: [],
        seenByTag: {},
        forwarded: 0,
        filtered: 0,
        errors: 0,
        commsMode: "worker",
        deepCapture: {
          state: "on",
          merged: 3,
          workers: [
            {
              name: "WAWebBackendWorker-1",
              path: "/worker/backend.js",
              installed: "start",
              t: 1,
              health: { taps: [], seenByTag: { call: 2, iq: 5 }, forwarded: 2, filtered: 5, errors: 0 },
            },
          ],
        },
      },
    });
    let reloads = 0;
    let offs = 0;
    const actions: PanelActions = { ...noop, reloadPage: () => reloads++, disableDeepCapture: () => offs++ };
    const { getByTestId } = render(<App store={store} actions={actions} />);
    expect(getByTestId("deep-capture").dataset.state).toBe("on");
    expect(getByTestId("deep-capture-worker").textContent).toBe(
      "WAWebBackendWorker-1: tapped from its start · seen 7 · forwarded 2",
    );
    fireEvent.click(getByTestId("deep-capture-reload"));
    fireEvent.click(getByTestId("deep-capture-off"));
    expect([reloads, offs]).toEqual([1, 1]);
  });

  it("stays out of the way in main-thread mode", () => {
    const { queryByTestId } = render(<App store={loaded()} actions={noop} />);
    expect(queryByTestId("deep-capture")).toBeNull();
  });
});
