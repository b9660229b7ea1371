/**
 * Toolbar controls for traces: save the session as a sanitized trace, export the selected
 * call (wacrg records, issue body, Mermaid, ladder) or the research evidence, and open a
 * saved trace or any other supported input, from a file or pasted (the Open dialog,
 * OpenDialog.tsx; the reading is `openInput` in opening.ts). Every output goes through the
 * sanitizer and leak check (see exporting.ts).
 */
import { useRef, useState } from "preact/hooks";
import type { ImportFormat } from "../shared/importers/index";
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import { downloadText, type OpenedTrace, type PanelExportKind, panelExport } from "./exporting";
import { OpenDialog } from "./OpenDialog";
import { type OpenSummary, openInput } from "./opening";

/**
 * Largest file the panel reads (bytes): the whole file becomes one string in the panel's
 * memory. Bigger logs go through the CLI, which streams (`npm run cli -- analyze`).
 */
export const MAX_OPEN_BYTES = 256 * 1024 * 1024;

/** The name an opened paste is shown under ("viewing pasted text"). */
export const PASTE_NAME = "pasted text";

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
  const [dialog, setDialog] = useState(false);
  const [pasted, setPasted] = useState("");
  const [format, setFormat] = useState<ImportFormat | "">("");
  const [summary, setSummary] = useState<OpenSummary | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const openButton = useRef<HTMLButtonElement | null>(null);
  const closeDialog = () => {
    setDialog(false);
    openButton.current?.focus();
  };
  /** Reads text as any input; opens what was kept. Returns whether the summary needs showing. */
  const read = (text: string, name: string): boolean => {
    const out = openInput(text, { name, format: format || undefined });
    setSummary(out.summary);
    if (!out.ok) {
      setStatus(`cannot open ${name}: ${out.summary.why}`);
      return true;
    }
    props.onOpen(out.trace, name);
    setStatus("");
    const s = out.summary;
    return s.format !== "trace" || s.errors > 0 || s.repairs > 0 || s.dropped > 0;
  };
  const open = async (f: File) => {
    if (f.size > MAX_OPEN_BYTES) {
      const mb = Math.round(f.size / 1048576);
      setSummary(undefined);
      setStatus(`cannot open ${f.name}: ${mb} MB is more than the panel reads; use the CLI`);
      return;
    }
    setBusy(true);
    let text: string;
    try {
      text = await f.text();
    } catch (e) {
      setStatus(`cannot open ${f.name}: ${String(e)}`);
      return;
    } finally {
      setBusy(false);
    }
    // A clean saved trace opens as it always did; anything else shows what the import did.
    if (read(text, f.name)) setDialog(true);
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
        title="Open a saved trace, a log or pasted stanzas"
        aria-haspopup="dialog"
        ref={openButton}
        onClick={() => {
          setSummary(undefined);
          setDialog(true);
        }}
      >
        Open…
      </button>
      <input
        ref={file}
        type="file"
        aria-label="Trace, log or stanza file"
        data-testid="open-trace-file"
        style={{ display: "none" }}
        onChange={(ev) => {
          const f = (ev.target as HTMLInputElement).files?.[0];
          (ev.target as HTMLInputElement).value = "";
          if (f) void open(f);
        }}
      />
      {dialog && (
        <OpenDialog
          text={pasted}
          onText={setPasted}
          format={format}
          onFormat={setFormat}
          summary={summary}
          busy={busy}
          onChooseFile={() => file.current?.click()}
          onOpenText={() => {
            if (pasted.trim() !== "") read(pasted, PASTE_NAME);
          }}
          onClose={closeDialog}
        />
      )}
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
