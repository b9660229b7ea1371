// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { EvidenceView } from "../../src/panel/Evidence";
import type { CapturedStanza } from "../../src/shared/trace/types";
import { emptyHealth } from "../../src/shared/trace/types";

afterEach(cleanup);

const PEER = "15550002222@s.whatsapp.net";
const ME = "15550001111:12@s.whatsapp.net";
const stanzas: CapturedStanza[] = [
  {
    seq: 0,
    direction: "out",
    t: 0,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { to: PEER, id: "o1" },
      content: [{ tag: "offer", attrs: { "call-id": "C1", "call-creator": ME, "x-new-attr": "1" } }],
    },
  },
  {
    seq: 1,
    direction: "in",
    t: 150,
    tap: "comms-config",
    node: { tag: "ack", attrs: { class: "call", id: "o1" } },
  },
  {
    seq: 2,
    direction: "out",
    t: 30_000,
    tap: "comms-config",
    node: {
      tag: "call",
      attrs: { to: PEER, id: "o2" },
      content: [{ tag: "terminate", attrs: { "call-id": "C1", "call-creator": ME, reason: "" } }],
    },
  },
];

describe("evidence view", () => {
  it("shows computed evidence, rule findings and unknown attributes linked to their stanza", () => {
    const inspected: number[] = [];
    const { container, getByTestId } = render(
      <EvidenceView stanzas={stanzas} health={emptyHealth()} onInspect={(seq) => inspected.push(seq)} />,
    );
    expect(container.querySelector('tr[data-question="SIG-12a"]')?.getAttribute("data-status")).toBe(
      "computed",
    );
    // reason="" breaks SIG-14 rule 44.
    expect(getByTestId("rule-findings").textContent).toMatch(/rule 44/);
    const unknown = getByTestId("unknown-findings");
    expect(unknown.textContent).toMatch(/x-new-attr/);
    const link = unknown.querySelector("button");
    expect(link).not.toBeNull();
    if (link) fireEvent.click(link);
    expect(inspected).toEqual([0]);
  });
});
