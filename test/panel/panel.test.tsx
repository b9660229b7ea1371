// @vitest-environment happy-dom
import { render } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../src/panel/App";
import { applyMessage, initialState } from "../../src/panel/state";
import type { CapturedStanza } from "../../src/shared/trace/types";

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
          attrs: { "call-id": "CID1", "call-creator": PEER, reason: "accepted_elsewhere" },
        },
      ],
    },
  },
];

describe("panel state", () => {
  it("a backlog and the same stanzas live give the same state; duplicates are ignored", () => {
    const viaBacklog = applyMessage(initialState(), {
      type: "backlog",
      tabId: 1,
      stanzas,
      health: initialState().health,
    });
    let live = applyMessage(initialState(), {
      type: "backlog",
      tabId: 1,
      stanzas: [],
      health: initialState().health,
    });
    for (const s of stanzas) live = applyMessage(live, { type: "stanza", stanza: s });
    live = applyMessage(live, { type: "stanza", stanza: stanzas[1] });
    expect(live.stanzas).toEqual(viaBacklog.stanzas);
    expect(applyMessage(live, { type: "cleared", reason: "user" }).stanzas).toEqual([]);
  });
});

describe("panel view", () => {
  it("shows one row per call with state, reason and its meaning, and the timeline's ack latency", () => {
    const state = applyMessage(initialState(), {
      type: "backlog",
      tabId: 1,
      stanzas,
      health: initialState().health,
    });
    const { container, getByTestId } = render(<App state={state} onClear={() => undefined} />);
    const rows = container.querySelectorAll("[data-testid=call-list] tbody tr");
    expect(rows).toHaveLength(1);
    expect(rows[0].getAttribute("data-state")).toBe("accepted-elsewhere");
    expect(rows[0].getAttribute("data-reason")).toBe("accepted_elsewhere");
    expect(getByTestId("call-reason").textContent).toMatch(/answered on another of the user's devices/);
    const offerRow = container.querySelector("[data-testid=timeline] tr[data-action=offer]");
    expect(offerRow?.getAttribute("data-ack-latency")).toBe("3.000");
  });

  it("says why it is empty", () => {
    const state = applyMessage(initialState(), {
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
    const { getByTestId } = render(<App state={state} onClear={() => undefined} />);
    expect(getByTestId("empty").textContent).toBe(
      "6 stanzas seen, none were call stanzas. Make or receive a call.",
    );
  });
});
