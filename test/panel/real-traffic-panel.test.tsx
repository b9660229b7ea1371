// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { CallList } from "../../src/panel/CallList";
import { Inspector } from "../../src/panel/Inspector";
import { buildCalls, INFERRED_BY_CALLEE, INFERRED_BY_CALLER } from "../../src/shared/trace/calls";
import type { CapturedStanza, Direction, PortableNode } from "../../src/shared/trace/types";

afterEach(cleanup);

// Invented parties and ids in the published 2026 shapes (research real-captures.md).
const ME = "70000000000001:2@lid";
const CALLER = "70000000000002@lid";

const node = (tag: string, attrs: Record<string, string>, content?: PortableNode[]): PortableNode =>
  content ? { tag, attrs, content } : { tag, attrs };

function stanzas(): CapturedStanza[] {
  const out: CapturedStanza[] = [];
  const add = (direction: Direction, t: number, n: PortableNode) =>
    out.push({ seq: out.length, direction, t, tap: "comms-config", node: n });
  // Incoming, the caller gives up (no reason): cancelled, inferred.
  add(
    "in",
    0,
    node("call", { from: CALLER, to: ME, id: "7.1-1", t: "1", offline: "3", platform: "android" }, [
      node("offer", { "call-id": "CALLA", "call-creator": CALLER, caller_pn: "15550009999@s.whatsapp.net" }, [
        node("audio", { enc: "opus", rate: "16000" }),
      ]),
    ]),
  );
  add(
    "in",
    20_000,
    node("call", { from: CALLER, to: ME, id: "7.1-2", t: "21" }, [
      node("terminate", { "call-id": "CALLA", "call-creator": CALLER }),
    ]),
  );
  // Outgoing, the callee's side ends it (no reason): missed, inferred.
  add(
    "out",
    30_000,
    node("call", { to: CALLER, id: "7.1-3" }, [node("offer", { "call-id": "CALLB", "call-creator": ME })]),
  );
  add(
    "in",
    60_000,
    node("call", { from: CALLER, to: ME, id: "7.1-4", t: "61" }, [
      node("terminate", { "call-id": "CALLB", "call-creator": ME }),
    ]),
  );
  // Outgoing with a stated reason.
  add(
    "out",
    70_000,
    node("call", { to: CALLER, id: "7.1-5" }, [node("offer", { "call-id": "CALLC", "call-creator": ME })]),
  );
  add(
    "out",
    115_000,
    node("call", { to: CALLER }, [
      node("terminate", { "call-id": "CALLC", "call-creator": ME, reason: "timeout" }),
    ]),
  );
  // A server-style ack from the caller's LID with the real-traffic error child.
  add(
    "in",
    120_000,
    node("ack", { from: CALLER, id: "7.1-3", class: "call", type: "accept", error: "500" }, [
      node("error", { "call-creator": ME, "call-id": "CALLB", jid: ME }),
    ]),
  );
  return out;
}

function list() {
  const { calls } = buildCalls(stanzas());
  return render(
    <CallList
      calls={calls}
      selected={[]}
      sort={{ column: "start", descending: false }}
      peerLabel={(c) => c.peer ?? ""}
      findings={() => 0}
      onSort={() => {}}
      onSelect={() => {}}
      onEnter={() => {}}
    />,
  );
}

describe("call list: inferred states and absent reasons", () => {
  it("shows '(inferred)' with the basis as title, and 'no reason given' plainly", () => {
    const { container } = list();
    const row = (id: string) => container.querySelector(`tr[data-call-id="${id}"]`) as HTMLElement;
    const state = (id: string) => row(id).querySelector("[data-testid=call-state]") as HTMLElement;
    const reason = (id: string) => row(id).querySelector("[data-testid=call-reason-cell]") as HTMLElement;

    expect(row("CALLA").getAttribute("data-state")).toBe("cancelled");
    expect(state("CALLA").textContent).toBe("cancelled (inferred)");
    expect(state("CALLA").getAttribute("data-inferred")).toBe("true");
    expect(state("CALLA").getAttribute("title")).toBe(
      `Inferred from the flow, not stated by a reason: ${INFERRED_BY_CALLER}`,
    );
    expect(reason("CALLA").textContent).toBe("no reason given");
    expect(reason("CALLA").getAttribute("title")).toBe("the <terminate> carried no reason attribute");

    expect(state("CALLB").textContent).toBe("missed (inferred)");
    expect(state("CALLB").getAttribute("title")).toContain(INFERRED_BY_CALLEE);

    expect(state("CALLC").textContent).toBe("missed");
    expect(state("CALLC").hasAttribute("data-inferred")).toBe(false);
    expect(state("CALLC").getAttribute("title") ?? "").toBe("");
    expect(reason("CALLC").textContent).toBe("timeout");
  });
});

describe("inspector: real-traffic marks", () => {
  it("marks attributes seen in real traffic, with the vocabulary's facts and the observation as tooltip", () => {
    const s = stanzas();
    const { container } = render(<Inspector stanza={s[0]} onClose={() => {}} />);
    const attr = (name: string) => container.querySelector(`tr[data-attr="${name}"]`) as HTMLElement;
    expect(attr("offline").getAttribute("data-observed")).toBe("real-traffic");
    expect(attr("offline").textContent).toContain("seen in real traffic");
    const title = attr("offline").querySelector("td[title]")?.getAttribute("title") ?? "";
    expect(title).toContain("corpus confidence: speculative (SIG-16)");
    expect(title).toContain("seen in real traffic: 0, 1, 3 and 6");
    expect(title).toContain("research real-captures.md");
    expect(attr("caller_pn").getAttribute("data-observed")).toBe("real-traffic");
    // `to` on an inbound call: known, but no real capture reports it.
    expect(attr("to").hasAttribute("data-observed")).toBe(false);
    expect(attr("to").textContent).not.toContain("seen in real traffic");
    // An enum value's own meaning and observation are in the tooltip.
    const rate = container.querySelector('tr[data-attr="rate"] td[title]')?.getAttribute("title") ?? "";
    expect(rate).toContain("value 16000: 16 kHz, wideband");
  });

  it("shows the ack error child's real-traffic attributes as known, and the LID-sender finding as seen in real traffic", () => {
    const s = stanzas();
    const { container, getByTestId } = render(<Inspector stanza={s[6]} onClose={() => {}} />);
    expect(container.querySelectorAll('tr[data-known="false"]')).toHaveLength(0);
    const err = container.querySelector('tr[data-attr="error"]') as HTMLElement;
    expect(err.textContent).toContain("seen in real traffic");
    expect(err.querySelector("td[title]")?.getAttribute("title")).toContain("value 500: server error");
    const f = getByTestId("findings").querySelector("li[data-observed=real-traffic]") as HTMLElement;
    expect(f.className).toBe("finding info");
    expect(f.textContent).toMatch(/^info · seen in real traffic rule 19 \(SIG-07, ack-sender\)/);
    expect(f.textContent).toContain("not a fault of the input");
  });
});
