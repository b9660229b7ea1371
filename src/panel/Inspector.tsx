/**
 * The inspector docked beside the ladder (or the stanza table): the selected stanza as
 * indented XML, its attributes annotated from the vocabulary (unknown ones highlighted, those
 * seen in real traffic marked, with the vocabulary's facts as a tooltip), its rule-check
 * findings (those real traffic shows marked as such), raw bytes where the tap kept them, and
 * copy as XML or JSON.
 */
import { useMemo, useState } from "preact/hooks";
import type { CallSummary } from "../shared/trace/calls";
import type { CapturedStanza } from "../shared/trace/types";
import { annotate, findingsFor, hexDump, rawHex, stanzaXml } from "../shared/view/inspect";
import { isUnconfirmed } from "../shared/view/rows";
import { clockText } from "../shared/view/time";
import { AttributeTable } from "./AttributeTable";
import { stanzaForClipboard } from "./exporting";
import { UNCONFIRMED_TITLE } from "./StanzaTable";

/** Props of {@link Inspector}. */
export interface InspectorProps {
  stanza: CapturedStanza;
  call?: CallSummary;
  onClose(): void;
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // DevTools panels may refuse the async clipboard: fall back to a selection copy.
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    return ok;
  }
}

/** The inspector of one stanza. */
export function Inspector({ stanza, call, onClose }: InspectorProps) {
  const [copied, setCopied] = useState("");
  const xml = useMemo(() => stanzaXml(stanza), [stanza]);
  const elements = useMemo(() => (stanza.node ? annotate(stanza.node) : []), [stanza]);
  const findings = useMemo(() => findingsFor(stanza, call), [stanza, call]);
  const hex = rawHex(stanza);
  const unknown = elements.reduce(
    (n, e) => n + (e.known ? 0 : 1) + e.attributes.filter((a) => !a.known).length,
    0,
  );
  const doCopy = async (what: "xml" | "json") => {
    // Copies leave the panel, so they are sanitized and leak-checked like every export.
    const out = stanzaForClipboard(stanza, what);
    if (!out.ok) {
      setCopied(`copy refused: ${out.message}`);
      return;
    }
    const ok = await copy(out.text);
    setCopied(ok ? `copied as ${what.toUpperCase()} (sanitized)` : "copy failed");
    setTimeout(() => setCopied(""), 1500);
  };
  return (
    <aside class="inspector" data-testid="inspector" aria-label="Stanza inspector">
      <div class="inspector-head">
        <strong>
          #{stanza.seq} {stanza.direction === "out" ? "→ sent" : "← received"}
        </strong>
        <span title={`epoch ms ${stanza.t}`}>{clockText(stanza.t)}</span>
        <span class="seen-by" data-testid="seen-by" title="The taps that saw this stanza">
          seen by {(stanza.seenBy ?? [stanza.tap]).join(", ")}
        </span>
        {stanza.synthetic === "call-wrapper" && (
          <span
            class="unconfirmed"
            data-testid="inspector-synthetic"
            title="The source had only this call action; the importer wrapped it in a <call> without attributes, so its direction is inferred"
          >
            synthetic &lt;call&gt; · direction unknown
          </span>
        )}
        {isUnconfirmed(stanza) && (
          <span class="unconfirmed" data-testid="inspector-unconfirmed" title={UNCONFIRMED_TITLE}>
            unconfirmed
          </span>
        )}
        <span class="spacer" />
        <button type="button" data-testid="copy-xml" onClick={() => void doCopy("xml")}>
          Copy XML
        </button>
        <button type="button" data-testid="copy-json" onClick={() => void doCopy("json")}>
          Copy JSON
        </button>
        <button type="button" aria-label="Close inspector" title="Close (Esc)" onClick={onClose}>
          ✕
        </button>
      </div>
      {copied && (
        <div class="copied" data-testid="copied" role="status">
          {copied}
        </div>
      )}
      <pre class="xml" data-testid="inspector-xml">
        {xml}
      </pre>
      <h3>
        Attributes{" "}
        {unknown > 0 && (
          <span class="unknown-count" data-testid="unknown-count">
            {unknown} unknown
          </span>
        )}
      </h3>
      <AttributeTable elements={elements} />
      <h3>Rule checks</h3>
      {findings.length === 0 ? (
        <p class="muted" data-testid="findings-none">
          No finding for this stanza.
        </p>
      ) : (
        <ul class="findings" data-testid="findings">
          {findings.map((f) => (
            <li
              key={`${f.check}-${f.rule}-${f.message}`}
              class={`finding ${f.severity}`}
              data-observed={f.observed}
            >
              <strong>{f.severity}</strong>
              {f.observed && (
                <span
                  class="seen-real"
                  title={`Real traffic breaks this draft rule the same way (${f.cites ?? "research"}): a finding about the draft, not a fault of the stanza`}
                >
                  {" "}
                  · seen in real traffic
                </span>
              )}{" "}
              rule {f.rule} ({f.part}, {f.check}): {f.message}
            </li>
          ))}
        </ul>
      )}
      {hex && (
        <>
          <h3>Raw bytes</h3>
          <pre class="hex" data-testid="raw-hex">
            {hexDump(hex)}
          </pre>
        </>
      )}
    </aside>
  );
}
