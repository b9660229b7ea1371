/**
 * The inspector docked beside the ladder (or the stanza table): the selected stanza as
 * indented XML, its attributes annotated from the vocabulary (unknown ones highlighted, those
 * seen in real traffic marked, with the vocabulary's facts as a tooltip), its rule-check
 * findings (those real traffic shows marked as such), raw bytes where the tap kept them, and
 * copy as XML or JSON.
 */
import { useMemo, useState } from "preact/hooks";
import { enumValue, lookupPath, realTrafficNote, vocabularyTitle } from "../shared/spec/vocabulary";
import type { CallSummary } from "../shared/trace/calls";
import type { CapturedStanza } from "../shared/trace/types";
import { annotate, findingsFor, hexDump, rawHex, stanzaXml } from "../shared/view/inspect";
import { isUnconfirmed } from "../shared/view/rows";
import { clockText } from "../shared/view/time";
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

/** The small mark of an entry seen in real traffic, with what was seen as its tooltip. */
function SeenMark({ note }: { note: string }) {
  if (!note) return null;
  return (
    <span class="seen-real" data-testid="seen-real" title={note}>
      {" "}
      · seen in real traffic
    </span>
  );
}

/** Tooltip and real-traffic note of an element or attribute row, from the vocabulary. */
function vocabularyFacts(path: string, name?: string, value?: string): { title: string; note: string } {
  const spec = lookupPath(path, name);
  if (!spec) return { title: "", note: "" };
  let title = vocabularyTitle(spec);
  let note = realTrafficNote(spec);
  if (value !== undefined && "type" in spec && spec.type.startsWith("enum:")) {
    const v = enumValue(spec.type.slice(5), value);
    const vNote = realTrafficNote(v);
    if (v)
      title += `\nvalue ${value}: ${v.meaning} (corpus confidence: ${v.confidence})${vNote ? `\n${vNote}` : ""}`;
    if (!note) note = vNote;
  }
  return { title, note };
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
      <table class="attrs" data-testid="attributes">
        <thead>
          <tr>
            <th>Element / attribute</th>
            <th>Value</th>
            <th>Meaning</th>
            <th>Confidence</th>
          </tr>
        </thead>
        <tbody>
          {elements.map((el) => {
            const facts = el.known ? vocabularyFacts(el.path) : { title: "", note: "" };
            return [
              <tr
                key={el.path}
                class={`element${el.known ? "" : " unknown"}`}
                data-path={el.path}
                data-observed={facts.note ? "real-traffic" : undefined}
              >
                <td style={{ paddingLeft: `${4 + el.depth * 12}px` }}>
                  <code>&lt;{el.tag}&gt;</code>
                </td>
                <td>{el.bytes !== undefined ? `${el.bytes} bytes` : ""}</td>
                <td title={facts.title}>
                  {el.known ? (el.meaning ?? "") : "unknown element (not in the vocabulary)"}
                  <SeenMark note={facts.note} />
                </td>
                <td>{el.confidence ?? ""}</td>
              </tr>,
              ...el.attributes.map((a) => {
                const af = a.known ? vocabularyFacts(a.path, a.name, a.value) : { title: "", note: "" };
                return (
                  <tr
                    key={`${el.path}@${a.name}`}
                    class={`attr${a.known ? "" : " unknown"}${a.problem ? " problem" : ""}`}
                    data-attr={a.name}
                    data-known={a.known ? "true" : "false"}
                    data-observed={af.note ? "real-traffic" : undefined}
                  >
                    <td style={{ paddingLeft: `${16 + el.depth * 12}px` }}>
                      <code>@{a.name}</code>
                    </td>
                    <td class="value">
                      <code>{a.value}</code>
                      {a.problem && <span class="problem-note"> ⚠ {a.problem}</span>}
                    </td>
                    <td title={af.title}>
                      {a.known ? (a.meaning ?? "") : "unknown attribute (not in the vocabulary)"}
                      {a.valueMeaning ? ` — ${a.valueMeaning}` : ""}
                      {a.type && <span class="type"> · {a.type}</span>}
                      <SeenMark note={af.note} />
                    </td>
                    <td>
                      {a.confidence ?? ""}
                      {a.parts?.length ? <span class="parts"> {a.parts.join(" ")}</span> : ""}
                    </td>
                  </tr>
                );
              }),
            ];
          })}
        </tbody>
      </table>
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
