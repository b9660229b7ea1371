/**
 * The Open dialog: choose a file or paste text in any supported form (saved trace, wacrg YAML,
 * published XML, library logs, JSON/object forms), optionally force the form, and see what the
 * import did (form, stanzas kept, first errors and repairs with their lines). The reading is
 * done by `openInput` (opening.ts); this component only holds the text and shows the summary.
 * It lives in the panel's DOM: no permission, no network.
 */
import { useEffect, useRef } from "preact/hooks";
import { IMPORT_FORMATS, type ImportFormat } from "../shared/importers/index";
import { keyed } from "../shared/view/keys";
import { type OpenSummary, summaryLine } from "./opening";

/** Props of {@link OpenDialog}. */
export interface OpenDialogProps {
  /** The paste box's text (held by the owner so closing and reopening loses nothing). */
  text: string;
  onText(text: string): void;
  /** The forced form, or `""` for detection. */
  format: ImportFormat | "";
  onFormat(format: ImportFormat | ""): void;
  /** What the last open from this dialog (file or paste) did, if any. */
  summary?: OpenSummary;
  /** `true` while a chosen file is being read. */
  busy?: boolean;
  /** Opens the file chooser (the owner's file input). */
  onChooseFile(): void;
  /** Opens the paste box's text. */
  onOpenText(): void;
  onClose(): void;
}

const FOCUSABLE = "button, select, textarea, input, [tabindex]:not([tabindex='-1'])";

/** The modal Open dialog (see the file comment). Escape closes it; Tab stays inside. */
export function OpenDialog(props: OpenDialogProps) {
  const box = useRef<HTMLDivElement | null>(null);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const close = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    area.current?.focus();
  }, []);
  // After a successful open, Enter or Escape on the focused Close button goes to the calls.
  const { summary } = props;
  useEffect(() => {
    if (summary !== undefined && summary.why === undefined) close.current?.focus();
  }, [summary]);
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      props.onClose();
      return;
    }
    if (ev.key !== "Tab" || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !(el as HTMLButtonElement).disabled,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (ev.shiftKey && document.activeElement === first) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && document.activeElement === last) {
      ev.preventDefault();
      first.focus();
    }
  };
  const s = props.summary;
  return (
    <div class="open-backdrop">
      <div
        ref={box}
        class="open-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="open-dialog-title"
        aria-describedby="open-dialog-help"
        data-testid="open-dialog"
        onKeyDown={onKeyDown}
      >
        <h2 id="open-dialog-title">Open</h2>
        <p id="open-dialog-help" class="muted">
          A saved trace, wacrg YAML, published XML, a library log (Baileys, whatsmeow, whatsapp-rust) or
          stanzas as JSON or object literals. Only call stanzas are kept; nothing leaves the panel.
        </p>
        <div class="open-row">
          <button
            type="button"
            data-testid="open-choose-file"
            disabled={props.busy}
            onClick={props.onChooseFile}
          >
            Choose file…
          </button>
          <label>
            Form{" "}
            <select
              data-testid="open-format"
              value={props.format}
              title="Read the input as this form instead of detecting it"
              onChange={(ev) => props.onFormat((ev.target as HTMLSelectElement).value as ImportFormat | "")}
            >
              <option value="">Detect automatically</option>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          {props.busy && <span class="muted">reading…</span>}
        </div>
        <label for="open-paste" class="open-paste-label">
          Or paste text
        </label>
        <textarea
          ref={area}
          id="open-paste"
          class="open-paste"
          data-testid="paste-input"
          spellcheck={false}
          autocomplete="off"
          placeholder={"<call from=… id=…>\n  <offer call-id=… call-creator=…/>\n</call>"}
          value={props.text}
          onInput={(ev) => props.onText((ev.target as HTMLTextAreaElement).value)}
          onKeyDown={(ev) => {
            // Ctrl/Cmd+Enter opens, like a form's submit.
            if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
              ev.preventDefault();
              props.onOpenText();
            }
          }}
        />
        <div class="open-row">
          <button
            type="button"
            class="primary"
            data-testid="paste-open"
            disabled={props.busy || props.text.trim() === ""}
            onClick={props.onOpenText}
          >
            Open pasted text
          </button>
          <span class="spacer" />
          <button ref={close} type="button" data-testid="open-close" onClick={props.onClose}>
            Close
          </button>
        </div>
        {s && (
          <div
            class={`open-summary${s.why ? " failed" : ""}`}
            data-testid="open-summary"
            data-format={s.format ?? ""}
            data-kept={s.kept}
            role="status"
            aria-live="polite"
          >
            <div>
              <strong>{s.why ? `Nothing opened from ${s.name}` : `Opened ${s.name}`}</strong>
              {": "}
              <span data-testid="open-summary-line">{summaryLine(s)}</span>
            </div>
            {s.why && (
              <div class="error" data-testid="open-error">
                {s.why}
              </div>
            )}
            {s.notes.length > 0 && (
              <ul class="open-notes" data-testid="open-notes" aria-label="Errors and repairs">
                {keyed(s.notes, (n) => `${n.kind}:${n.text}`).map(({ key, item: n }) => (
                  <li key={key} class={n.kind === "error" ? "error" : undefined} data-kind={n.kind}>
                    {n.text}
                  </li>
                ))}
                {s.more > 0 && <li class="muted">… and {s.more} more</li>}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
