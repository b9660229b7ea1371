// @vitest-environment happy-dom
/** What the panel says in the Firefox build (deep capture) and when host access is revoked. */
import { cleanup, render } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../../src/panel/App";
import { DEEP_CAPTURE_UNAVAILABLE } from "../../src/panel/DeepCapture";
import { syncStore } from "../../src/panel/state";
import { withHints } from "../../src/shared/capture/health";
import type { CapturedStanza, CaptureHealth } from "../../src/shared/trace/types";
import { HOST_ACCESS_REVOKED } from "../../src/shared/view/health";
import { noopActions } from "./fixtures";

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});

function storeWith(health: Partial<CaptureHealth>) {
  const store = syncStore();
  store.receive({
    type: "backlog",
    tabId: 1,
    stanzas: [],
    health: { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0, ...health },
  });
  return store;
}

describe("Firefox build", () => {
  it("says that deep capture needs Chrome's or Edge's debugger API, and offers no switch", () => {
    vi.stubEnv("MODE", "firefox");
    const { getByTestId, queryByTestId } = render(
      <App
        store={storeWith({ commsMode: "worker", taps: [{ name: "codec", installed: true, live: true }] })}
        actions={noopActions}
      />,
    );
    expect(getByTestId("deep-capture").dataset.state).toBe("unavailable");
    expect(getByTestId("deep-capture-unavailable").textContent).toBe(DEEP_CAPTURE_UNAVAILABLE);
    expect(DEEP_CAPTURE_UNAVAILABLE).toMatch(/^Deep capture needs Chrome's or Edge's debugger API/);
    expect(queryByTestId("deep-capture-enable")).toBeNull();
  });

  it("never tells the user to enable deep capture in the hints, and says what it would need", () => {
    const health = withHints({
      taps: [{ name: "codec", installed: true, live: true }],
      seenByTag: { message: 12 },
      forwarded: 0,
      filtered: 12,
      errors: 0,
      commsMode: "worker",
    });
    const hints = [health.emptyReason?.message ?? "", ...(health.limitations ?? []).map((l) => l.message)];
    expect(hints.join(" ")).toContain("enable deep capture");
    vi.stubEnv("MODE", "firefox");
    const { getByTestId } = render(<App store={storeWith(health)} actions={noopActions} />);
    const shown = `${getByTestId("health").textContent} ${getByTestId("empty").textContent}`;
    expect(shown).not.toContain("enable deep capture");
    expect(shown).toContain("needs Chrome's or Edge's debugger API");
  });

  it("keeps the switch in the Chrome and Edge build", () => {
    const { getByTestId, queryByTestId } = render(
      <App
        store={storeWith({ commsMode: "worker", taps: [{ name: "codec", installed: true, live: true }] })}
        actions={noopActions}
      />,
    );
    expect(getByTestId("deep-capture-enable")).toBeTruthy();
    expect(queryByTestId("deep-capture-unavailable")).toBeNull();
  });
});

describe("revoked host access", () => {
  it("says why nothing is captured and how to grant access again", () => {
    const { getByTestId } = render(
      <App store={storeWith({ hostAccess: "revoked" })} actions={noopActions} />,
    );
    const notice = getByTestId("host-access").textContent ?? "";
    expect(notice).toContain(HOST_ACCESS_REVOKED.why);
    expect(notice).toContain(HOST_ACCESS_REVOKED.how);
    expect(notice).toMatch(/about:addons/);
    expect(getByTestId("empty").textContent).toBe(HOST_ACCESS_REVOKED.why);
  });

  it("shows nothing about it while access is granted", () => {
    const { queryByTestId } = render(<App store={storeWith({})} actions={noopActions} />);
    expect(queryByTestId("host-access")).toBeNull();
  });
});

describe("latencies at the browser's timer precision", () => {
  const PEER = "15550002222@s.whatsapp.net";
  const T0 = 1_764_980_000_123.456;
  const call = (
    seq: number,
    direction: "in" | "out",
    dt: number,
    id: string,
    action: string,
  ): CapturedStanza => ({
    seq,
    direction,
    t: T0 + dt,
    tap: "comms-config" as const,
    node: {
      tag: "call",
      attrs: { [direction === "in" ? "from" : "to"]: PEER, id },
      content: [{ tag: action, attrs: { "call-id": "CID1", "call-creator": PEER } }],
    },
  });
  const ack = (seq: number, direction: "in" | "out", dt: number, id: string): CapturedStanza => ({
    seq,
    direction,
    t: T0 + dt,
    tap: "comms-config" as const,
    node: { tag: "ack", attrs: { class: "call", id } },
  });
  /** A call whose offer is acked after `ackMs`; the other times are whole ms. */
  const trace = (ackMs: number) => {
    const store = storeWith({});
    store.receive({
      type: "stanzas",
      stanzas: [
        call(0, "in", 0, "i1", "offer"),
        ack(1, "out", ackMs, "i1"),
        call(2, "out", 1000, "i2", "accept"),
        ack(3, "in", 1040, "i2"),
        call(4, "in", 5000, "i3", "terminate"),
        ack(5, "out", 5002, "i3"),
      ],
    });
    return store;
  };

  it("shows whole milliseconds when every capture time is a whole ms apart (Firefox)", () => {
    const { getByTestId } = render(<App store={trace(3)} actions={noopActions} />);
    expect(getByTestId("offer-ack").textContent).toBe("3 ms");
  });

  it("keeps a tenth of a millisecond when the browser gave it (Chromium)", () => {
    const { getByTestId } = render(<App store={trace(3.4)} actions={noopActions} />);
    expect(getByTestId("offer-ack").textContent).toBe("3.4 ms");
  });
});
