/**
 * The inspector's attribute table: every element and attribute of the stanza with its meaning
 * and confidence from the vocabulary (unknown ones highlighted, value problems flagged, those
 * seen in real traffic marked, the vocabulary's facts as a tooltip).
 */
import { enumValue, lookupPath, realTrafficNote, vocabularyTitle } from "../shared/spec/vocabulary";
import type { ElementRow } from "../shared/view/inspect";

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

/** The attribute table of annotated elements (see `annotate`). */
export function AttributeTable({ elements }: { elements: readonly ElementRow[] }) {
  return (
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
  );
}
