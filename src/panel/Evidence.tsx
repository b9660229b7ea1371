/**
 * The research view: the open questions of the wacrg call-signalling parts with the
 * evidence the session holds for each (call-signalling research §9, `src/shared/evidence`),
 * and beside them the spec findings: rule-check results and every tag, attribute or value
 * the vocabulary does not know, each linked to the stanza that showed it. Evidence can be
 * exported (sanitized) as Markdown from the toolbar's Export menu.
 */
import { useMemo } from "preact/hooks";
import { computeEvidence, findingText } from "../shared/evidence/report";
import { checkSession } from "../shared/rules/session";
import type { RuleFinding } from "../shared/rules/types";
import { findUnknowns, type UnknownFinding } from "../shared/spec/vocabulary";
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import { liveTrace } from "../shared/tracefile/io";
import { keyed } from "../shared/view/keys";

/** Props of {@link EvidenceView}. */
export interface EvidenceViewProps {
  stanzas: readonly CapturedStanza[];
  health: CaptureHealth;
  /** Shows one stanza in the inspector. */
  onInspect(seq: number): void;
}

/** The evidence and spec-findings view. */
export function EvidenceView({ stanzas, health, onInspect }: EvidenceViewProps) {
  const report = useMemo(() => computeEvidence([liveTrace(stanzas, health)]), [stanzas, health]);
  const rules = useMemo(
    () =>
      keyed<RuleFinding>(
        checkSession(stanzas),
        (f) => `${f.rule}-${f.seq ?? "x"}-${f.check}-${f.callId ?? ""}-${f.message}`,
      ),
    [stanzas],
  );
  const unknowns = useMemo(() => {
    const out: { seq: number; f: UnknownFinding }[] = [];
    for (const s of stanzas) if (s.node) for (const f of findUnknowns(s.node)) out.push({ seq: s.seq, f });
    return keyed(out, ({ seq, f }) => `${seq}-${f.kind}-${f.path}-${f.name}-${f.value ?? ""}`);
  }, [stanzas]);
  const link = (seq: number | undefined) =>
    seq === undefined ? null : (
      <button type="button" class="link" data-testid="evidence-link" onClick={() => onInspect(seq)}>
        #{seq}
      </button>
    );
  return (
    <div class="evidence-view" data-testid="evidence">
      <section>
        <h3>
          Open questions ({report.results.filter((r) => r.status === "computed").length} with evidence,{" "}
          {report.calls} calls, {report.stanzas} stanzas)
        </h3>
        <table>
          <thead>
            <tr>
              <th>Question</th>
              <th>Parts</th>
              <th>Obs</th>
              <th>Status</th>
              <th>Evidence in this session</th>
            </tr>
          </thead>
          <tbody>
            {report.results.map((r) => (
              <tr key={r.ids.join(",")} data-question={r.ids[0]} data-status={r.status}>
                <td>
                  <code>{r.ids.join(", ")}</code> {r.question}
                </td>
                <td>{r.parts.join(" ")}</td>
                <td>{r.obs}</td>
                <td>{r.status}</td>
                <td class="wrap">
                  {r.findings.length === 0 ? (
                    <span class="muted">{r.evidence}</span>
                  ) : (
                    r.findings.map(findingText).join(" · ")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>Rule checks ({rules.length})</h3>
        <table data-testid="rule-findings">
          <tbody>
            {rules.map(({ key, item: f }) => (
              <tr key={key} class={`sev-${f.severity}`}>
                <td>{link(f.seq)}</td>
                <td>
                  rule {f.rule} · {f.part}
                </td>
                <td>{f.severity}</td>
                <td class="wrap">{f.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>Unknown to the vocabulary ({unknowns.length})</h3>
        <table data-testid="unknown-findings">
          <tbody>
            {unknowns.map(({ key, item: { seq, f } }) => (
              <tr key={key}>
                <td>{link(seq)}</td>
                <td>{f.kind}</td>
                <td>
                  <code>{f.path}</code>
                </td>
                <td>
                  <code>
                    {f.name}
                    {f.value !== undefined ? `="${f.value}"` : ""}
                  </code>
                  {f.note ? ` (${f.note})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
