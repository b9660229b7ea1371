// @vitest-environment happy-dom
/**
 * The panel's Open dialog (issue #11 item 2): pasted text in published forms opens as a call
 * list and ladder, repairs are listed with their lines, garbage keeps the dialog open with the
 * text intact, a saved trace file still opens, and the form select overrides detection.
 * Examples written for this project.
 */
import { cleanup, fireEvent, render, waitFor } from "@testing-library/preact";
import { useMemo, useState } from "preact/hooks";
import { afterEach, describe, expect, it } from "vitest";
import { App, type PanelActions } from "../../src/panel/App";
import { panelExport } from "../../src/panel/exporting";
import { syncStore } from "../../src/panel/state";
import { IMPORT_FORMATS } from "../../src/shared/importers/index";
import type { CapturedStanza } from "../../src/shared/trace/types";
import { noopActions } from "./fixtures";

afterEach(cleanup);

const CALLER = "31415926535@lid";
const CALL_ID = "5F3E2D1C0B0A09080706050403020100";

/** A pretty-printed inbound offer in a Markdown quote, closing tags on their own lines. */
const QUOTED_OFFER = [
  "My bot logged this when the phone rang:",
  "",
  `> <call from="${CALLER}" id="5223.12338-39" t="1764990000" platform="android">`,
  `>   <offer call-id="${CALL_ID}" call-creator="${CALLER}">`,
  '>     <audio enc="opus" rate="16000">',
  ">     </audio>",
  '>     <net medium="3">',
  ">     </net>",
  ">   </offer>",
  "> </call>",
].join("\n");

/** An offer whose children were partly elided by the poster (line 4). */
const ELIDED_OFFER = [
  `<call from="${CALLER}" id="38.13-251" t="1764990100">`,
  `  <offer call-id="${CALL_ID}" call-creator="${CALLER}">`,
  '    <audio enc="opus" rate="16000"/>',
  "    ...",
  "  </offer>",
  "</call>",
].join("\n");

const noop = noopActions;

/** The panel as main.tsx wires it: an opened trace replaces the view and names it. */
function Panel() {
  const store = useMemo(() => syncStore(), []);
  const [viewing, setViewing] = useState<string | undefined>(undefined);
  const actions = useMemo<PanelActions>(
    () => ({
      ...noop,
      openTrace(trace, name) {
        store.receive({
          type: "backlog",
          tabId: 1,
          stanzas: trace.stanzas,
          health: trace.health ?? { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 },
        });
        setViewing(name);
      },
    }),
    [store],
  );
  return <App store={store} actions={actions} viewing={viewing} />;
}

function setup() {
  const r = render(<Panel />);
  const q = (sel: string) => r.container.querySelector(sel);
  const rows = () => [...r.container.querySelectorAll("[data-testid=call-list] tbody tr[data-call-id]")];
  const openDialog = () => {
    fireEvent.click(r.getByTestId("open-trace"));
    return r.getByTestId("open-dialog");
  };
  const paste = (text: string) => {
    fireEvent.input(r.getByTestId("paste-input"), { target: { value: text } });
    fireEvent.click(r.getByTestId("paste-open"));
  };
  return { ...r, q, rows, openDialog, paste };
}

describe("Open dialog", () => {
  it("opens pasted published XML in a Markdown quote as a call with its ladder", () => {
    const p = setup();
    expect(p.rows()).toHaveLength(0);
    p.openDialog();
    // The paste box has the focus and a label for screen readers.
    const area = p.getByTestId("paste-input") as HTMLTextAreaElement;
    expect(document.activeElement).toBe(area);
    expect(p.getByLabelText("Or paste text")).toBe(area);
    expect(p.getByRole("dialog").getAttribute("aria-labelledby")).toBe("open-dialog-title");

    p.paste(QUOTED_OFFER);
    expect(p.rows()).toHaveLength(1);
    expect(p.rows()[0].getAttribute("data-call-id")).toBe(CALL_ID);
    const offer = p.q("[data-testid=ladder] g[data-action=offer]");
    expect(offer?.getAttribute("data-direction")).toBe("in");
    const summary = p.getByTestId("open-summary");
    expect(summary.getAttribute("data-format")).toBe("xml");
    expect(summary.getAttribute("data-kept")).toBe("1");
    expect(p.getByTestId("open-summary-line").textContent).toMatch(/^xml \(detected\) · 1 stanza kept/);
    expect(p.getByTestId("viewing").textContent).toContain("pasted text");
    // After a successful open the focus goes to Close; Escape closes and returns to Open….
    expect(document.activeElement).toBe(p.getByTestId("open-close"));
    fireEvent.keyDown(p.getByTestId("open-dialog"), { key: "Escape" });
    expect(p.queryByTestId("open-dialog")).toBeNull();
    expect(document.activeElement).toBe(p.getByTestId("open-trace"));
    expect(p.rows()).toHaveLength(1);
  });

  it("lists a repair of an elided paste with its line", () => {
    const p = setup();
    p.openDialog();
    p.paste(ELIDED_OFFER);
    expect(p.rows()).toHaveLength(1);
    const notes = [...p.getByTestId("open-notes").querySelectorAll("li")].map((li) => li.textContent);
    expect(notes.some((n) => /^line 4: repaired \(elision\): /.test(n ?? ""))).toBe(true);
    expect(p.getByTestId("open-summary-line").textContent).toMatch(/\d+ repairs?/);
  });

  it("keeps the dialog open with an error and the pasted text when nothing is read", () => {
    const p = setup();
    p.openDialog();
    const garbage = "call me maybe\nnothing here looks like a stanza\n";
    p.paste(garbage);
    expect(p.getByTestId("open-dialog")).toBeTruthy();
    expect(p.getByTestId("open-error").textContent).toMatch(/^unrecognised input format/);
    expect((p.getByTestId("paste-input") as HTMLTextAreaElement).value).toBe(garbage);
    expect(p.rows()).toHaveLength(0);
    expect(p.queryByTestId("viewing")).toBeNull();
    // Closing and reopening keeps the text too.
    fireEvent.click(p.getByTestId("open-close"));
    p.openDialog();
    expect((p.getByTestId("paste-input") as HTMLTextAreaElement).value).toBe(garbage);
  });

  it("still opens a saved trace file", async () => {
    const stanzas: CapturedStanza[] = [
      {
        seq: 0,
        direction: "in",
        t: 1000,
        tap: "comms-config",
        node: {
          tag: "call",
          attrs: { from: "15550002222@s.whatsapp.net", id: "i1" },
          content: [
            { tag: "offer", attrs: { "call-id": "CID1", "call-creator": "15550002222@s.whatsapp.net" } },
          ],
        },
      },
      {
        seq: 1,
        direction: "in",
        t: 4000,
        tap: "comms-config",
        node: {
          tag: "call",
          attrs: { from: "15550002222@s.whatsapp.net", id: "i2" },
          content: [
            {
              tag: "terminate",
              attrs: { "call-id": "CID1", "call-creator": "15550002222@s.whatsapp.net", reason: "timeout" },
            },
          ],
        },
      },
    ];
    const saved = panelExport("trace", stanzas, undefined);
    if (!saved.ok) throw new Error(saved.message);
    const p = setup();
    p.openDialog();
    const input = p.getByTestId("open-trace-file") as HTMLInputElement;
    const file = new File([saved.text], "session.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(p.rows()).toHaveLength(1));
    expect(p.rows()[0].getAttribute("data-state")).toBe("missed");
    expect(p.getByTestId("viewing").textContent).toContain("session.json");
    expect(p.getByTestId("open-summary").getAttribute("data-format")).toBe("trace");
    expect(p.getByTestId("open-summary-line").textContent).toBe("trace (detected) · 2 stanzas kept");
  });

  it("the form select lists every import form and overrides detection", () => {
    const p = setup();
    p.openDialog();
    const select = p.getByTestId("open-format") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", ...IMPORT_FORMATS]);
    expect(select.options[0].textContent).toBe("Detect automatically");

    // Detected, this text is XML and opens; read as a saved trace it is not JSON.
    fireEvent.change(select, { target: { value: "trace" } });
    p.paste(QUOTED_OFFER);
    expect(p.rows()).toHaveLength(0);
    expect(p.getByTestId("open-error").textContent).toMatch(/^no call stanzas read as trace: not JSON/);
    expect(p.getByTestId("open-summary-line").textContent).toMatch(/^trace \(chosen\)/);

    // A log line in front makes detection guess Baileys; the chosen form reads the XML.
    const mixed = `{"msg":"bot started"}\n${ELIDED_OFFER}`;
    fireEvent.change(select, { target: { value: "xml" } });
    p.paste(mixed);
    expect(p.rows()).toHaveLength(1);
    expect(p.getByTestId("open-summary-line").textContent).toMatch(/^xml \(chosen\) · 1 stanza kept/);
  });
});
