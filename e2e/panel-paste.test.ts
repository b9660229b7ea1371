/**
 * End to end, the panel's Open dialog in the built extension (issue #11 item 2): text pasted in
 * two published forms (multi-line XML of an incoming offer + terminate; Baileys pino NDJSON of
 * an offer, its ack and a reject) opens as a call list and ladder with the right actions,
 * directions and states, and the dialog's summary names the form it detected. Garbage leaves
 * the dialog open with the text intact. Examples written for this project; every wait is a
 * condition, so it holds on a loaded machine.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, launch } from "./harness";

const CALLER = "27182818284@lid";
const XML_CALL = "7C1D2E3F40516273849506A7B8C9DAEB";
const PINO_CALL = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";

/** Published multi-line XML: closing tags on their own lines, single and double quotes. */
const PUBLISHED_XML = [
  `<call from="${CALLER}" id="5223.12338-40" t="1764990000" platform="android" version="2.26.30.78">`,
  `    <offer call-id="${XML_CALL}" call-creator="${CALLER}" joinable="1">`,
  `        <audio enc='opus' rate='16000'>`,
  "        </audio>",
  `        <net medium="3">`,
  "        </net>",
  "    </offer>",
  "</call>",
  `<call from="${CALLER}" id="5223.12338-41" t="1764990009">`,
  `    <terminate call-id="${XML_CALL}" call-creator="${CALLER}">`,
  "    </terminate>",
  "</call>",
].join("\n");

const pino = (time: number, msg: string, xml: string) => JSON.stringify({ level: 10, time, msg, xml });
/** Baileys pino NDJSON at trace level, with an unrelated line in between. */
const PINO_NDJSON = [
  JSON.stringify({ level: 30, time: 1733450000000, msg: "connected to WA" }),
  pino(
    1733450000123,
    "recv xml",
    `<call from='${CALLER}' id='ABCDEF0123456789ABCDEF0123456789' t='1733450000'><offer call-id='${PINO_CALL}' call-creator='${CALLER}'/></call>`,
  ),
  pino(
    1733450000150,
    "xml send",
    `<ack to='${CALLER}' id='ABCDEF0123456789ABCDEF0123456789' class='call' type='offer'/>`,
  ),
  JSON.stringify({ level: 30, time: 1733450001000, msg: "presence update" }),
  pino(
    1733450002000,
    "xml send",
    `<call to='${CALLER}' id='3EB0C0FFEE0123456789'><reject call-id='${PINO_CALL}' call-creator='${CALLER}' count='0'/></call>`,
  ),
].join("\n");

let h: Harness;

beforeAll(async () => {
  h = await launch();
});

afterAll(async () => {
  await h?.close();
});

const rows = (p: Page) => p.locator("[data-testid=call-list] tbody tr[data-call-id]");
/** The ladder's arrows as `action direction` pairs, in order. */
const arrows = (p: Page) =>
  p
    .locator("[data-testid=ladder] g[data-testid=arrow]")
    .evaluateAll((gs) =>
      gs.map((g) => `${g.getAttribute("data-action")} ${g.getAttribute("data-direction")}`),
    );

async function pasteAndOpen(p: Page, text: string) {
  const area = p.getByTestId("paste-input");
  if ((await p.getByTestId("open-dialog").count()) === 0) {
    await p.getByTestId("open-trace").click();
    // The paste box has the focus as soon as the dialog opens.
    await expect.poll(() => area.evaluate((el) => el === document.activeElement)).toBe(true);
  }
  await area.fill(text);
  await p.getByTestId("paste-open").click();
}

describe("pasting stanzas into the panel", () => {
  it("opens published XML and Baileys NDJSON as calls with their ladders, and says which form", async () => {
    const panel = await h.openPanel();
    await expect.poll(() => panel.getByTestId("open-trace").count(), { timeout: 20_000 }).toBe(1);

    // Published multi-line XML: an incoming offer the caller terminates.
    await pasteAndOpen(panel, PUBLISHED_XML);
    const summary = panel.getByTestId("open-summary");
    await expect.poll(() => summary.getAttribute("data-format"), { timeout: 15_000 }).toBe("xml");
    expect(await summary.getAttribute("data-kept")).toBe("2");
    expect(await panel.getByTestId("open-summary-line").textContent()).toMatch(
      /^xml \(detected\) · 2 stanzas kept/,
    );
    await expect.poll(() => panel.getByTestId("viewing").textContent()).toContain("pasted text");
    // The view may apply the opened trace a frame after the summary: wait for the call itself.
    await expect.poll(() => rows(panel).first().getAttribute("data-call-id")).toBe(XML_CALL);
    expect(await rows(panel).count()).toBe(1);
    const xmlRow = rows(panel).first();
    // No accept and the caller's terminate without a reason: missed or cancelled, never answered.
    expect(["missed", "cancelled"]).toContain(await xmlRow.getAttribute("data-state"));
    expect(await xmlRow.textContent()).toContain("↙ in");
    await expect.poll(() => arrows(panel)).toEqual(["offer in", "terminate in"]);

    // Escape closes; the calls stay.
    await panel.keyboard.press("Escape");
    await expect.poll(() => panel.getByTestId("open-dialog").count()).toBe(0);
    expect(await rows(panel).count()).toBe(1);

    // Baileys pino NDJSON: an incoming offer, our ack and our reject.
    await pasteAndOpen(panel, PINO_NDJSON);
    await expect.poll(() => summary.getAttribute("data-format"), { timeout: 15_000 }).toBe("baileys");
    expect(await summary.getAttribute("data-kept")).toBe("3");
    await expect.poll(() => rows(panel).first().getAttribute("data-call-id")).toBe(PINO_CALL);
    expect(await rows(panel).count()).toBe(1);
    const pinoRow = rows(panel).first();
    expect(await pinoRow.getAttribute("data-state")).toBe("rejected");
    expect(await pinoRow.textContent()).toContain("↙ in");
    await expect.poll(() => arrows(panel)).toEqual(["offer in", "ack out", "reject out"]);
    // Our ack answers the offer, timed by the log's milliseconds (150 − 123 ms).
    const offer = panel.locator("[data-testid=ladder] g[data-action=offer]");
    expect(Number(await offer.getAttribute("data-ack-latency"))).toBeCloseTo(27, 3);

    // Garbage: the dialog stays open, says why, and keeps the text.
    const garbage = "call me maybe\nnothing here is a stanza";
    await pasteAndOpen(panel, garbage);
    await expect
      .poll(() => panel.getByTestId("open-error").textContent())
      .toMatch(/^unrecognised input format/);
    expect(await panel.getByTestId("paste-input").inputValue()).toBe(garbage);
    expect(await rows(panel).first().getAttribute("data-call-id")).toBe(PINO_CALL);
    await panel.close();
  });
});
