/**
 * Toolbar controls for traces: save the session as a sanitized trace, export the selected
 * call (wacrg records, issue body, Mermaid, ladder) or the research evidence, and open a
 * saved trace. Every output goes through the sanitizer and leak check (see exporting.ts).
 */
import { useRef, useState } from "preact/hooks";
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import {
  downloadText,
  type OpenedTrace,
  openTraceText,
  type PanelExportKind,
  panelExport,
} from "./exporting";

/** Props of {@link TraceControls}. */
export interface TraceControlsProps {
  /** The session's stanzas, read when an export is asked for. */
  stanzas: () => readonly CapturedStanza[];
  health: CaptureHealth;
  /** The call the per-call exports use (the selected one). */
  callId?: string;
  /** Name of the opened trace file, when the panel shows a file instead of the live tab. */
  viewing?: string;
  onOpen(trace: Extract<OpenedTrace, { ok: true }>, name: string): void;
  onBackToLive(): void;
}

const PER_CALL: { kind: PanelExportKind; label: string }[] = [
  { kind: "ladder", label: "Ladder (text)" },
  { kind: "mermaid", label: "Mermaid sequenceDiagram" },
  { kind: "wacrg", label: "wacrg capture record (YAML)" },
  { kind: "issue", label: "wacrg Stanza capture issue body" },
];

/** Save / export / open controls. */
export function TraceControls(props: TraceControlsProps) {
  const [status, setStatus] = useState("");
  const file = useRef<HTMLInputElement | null>(null);
  const run = (kind: PanelExportKind) => {
    const perCall = PER_CALL.some((p) => p.kind === kind);
    if (perCall && !props.callId) {
      setStatus("select a call first");
      return;
    }
    const out = panelExport(kind, props.stanzas(), props.health, perCall ? props.callId : undefined);
    if (!out.ok) {
      setStatus(`export refused: ${out.message}`);
      return;
    }
    downloadText(out.fileName, out.text, kind === "trace" ? "application/json" : "text/plain");
    setStatus(`saved ${out.fileName} (sanitized)`);
  };
  const open = async (f: File) => {
    const opened = openTraceText(await f.text());
    if (!opened.ok) setStatus(`cannot open ${f.name}: ${opened.message}`);
    else {
      props.onOpen(opened, f.name);
      setStatus("");
    }
  };
  return (
    <span class="trace-controls">
      <button
        type="button"
        data-testid="save-trace"
        title="Save the session as a sanitized trace"
        onClick={() => run("trace")}
      >
        Save trace
      </button>
      <select
        data-testid="export"
        title="Export the selected call or the evidence (sanitized)"
        value=""
        onChange={(ev) => {
          const v = (ev.target as HTMLSelectElement).value as PanelExportKind | "";
          (ev.target as HTMLSelectElement).value = "";
          if (v) run(v);
        }}
      >
        <option value="">Export…</option>
        {PER_CALL.map((p) => (
          <option key={p.kind} value={p.kind}>
            {p.label}
          </option>
        ))}
        <option value="evidence">Research evidence (Markdown)</option>
      </select>
      <button
        type="button"
        data-testid="open-trace"
        title="Open a saved trace"
        onClick={() => file.current?.click()}
      >
        Open…
      </button>
      <input
        ref={file}
        type="file"
        accept=".json,application/json"
        data-testid="open-trace-file"
        style={{ display: "none" }}
        onChange={(ev) => {
          const f = (ev.target as HTMLInputElement).files?.[0];
          (ev.target as HTMLInputElement).value = "";
          if (f) void open(f);
        }}
      />
      {props.viewing && (
        <span class="viewing" data-testid="viewing">
          viewing {props.viewing}{" "}
          <button type="button" data-testid="back-to-live" onClick={props.onBackToLive}>
            Back to live
          </button>
        </span>
      )}
      {status && (
        <span class="muted" data-testid="trace-status">
          {status}
        </span>
      )}
    </span>
  );
}
