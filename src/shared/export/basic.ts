/**
 * The simple exports: the sanitized trace as JSON (re-loadable with `parseTrace`), and one
 * stanza as XML or JSON for copy-to-clipboard.
 */
import type { SanitizedTrace } from "../sanitize/sanitize";
import { serializeTrace } from "../tracefile/io";
import { type ExportInputError, type ExportResult, finishOne } from "./finish";
import { stanzaXml } from "./render";
import { selectStanza } from "./select";

const inputError = (error: ExportInputError): ExportResult => ({ ok: false, error });

/**
 * The sanitized trace as trace-file JSON (docs/trace-format.md), leak-checked.
 * @param name base file name (default `trace`), `.sanitized.json` is appended.
 */
export function exportJsonTrace(trace: SanitizedTrace, name = "trace"): ExportResult {
  return finishOne([trace], {
    format: "json",
    text: serializeTrace(trace),
    fileName: `${name}.sanitized.json`,
    mime: "application/json",
  });
}

/**
 * One stanza for the clipboard: `xml` = codec XML (placeholders as `[label: N bytes redacted]`),
 * `json` = the sanitized captured stanza (`seq`, `direction`, relative `t`, `node`).
 * @param seq the stanza's `seq`.
 */
export function exportStanza(trace: SanitizedTrace, seq: number, format: "xml" | "json"): ExportResult {
  const stanza = selectStanza(trace, seq);
  if (!("seq" in stanza)) return inputError(stanza);
  if (format === "xml") {
    const text = stanza.node
      ? stanzaXml(stanza.node)
      : `<!-- unreadable stanza: ${stanza.error?.message ?? "?"} -->`;
    return finishOne([trace], {
      format: "stanza-xml",
      text,
      fileName: `stanza-${seq}.xml`,
      mime: "application/xml",
    });
  }
  return finishOne([trace], {
    format: "stanza-json",
    text: JSON.stringify(stanza, null, 2),
    fileName: `stanza-${seq}.json`,
    mime: "application/json",
  });
}
