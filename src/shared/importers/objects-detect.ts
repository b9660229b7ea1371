/**
 * Detection of the object-shaped published forms (research real-captures.md forms 3–6) from the
 * head of an input, and the pino-pretty line patterns the reader shares.
 */
import type { ImportFormat } from "./collect";
import { ANSI } from "./logs";

const LEVELS = "TRACE|DEBUG|INFO|WARN|ERROR|FATAL|USERLVL";
/** pino-pretty's first line of an entry: `[time] LEVEL (name/pid on host): message` (name part optional). */
export const PINO_HEADER = new RegExp(`^\\[([^\\]]+)\\] +(?:${LEVELS})(?: +\\([^)]*\\))? *:(?: (.*))?$`);
/** The same with pino-pretty's `levelFirst`: `LEVEL [time] …: message`. */
export const PINO_HEADER_LEVEL_FIRST = new RegExp(
  `^(?:${LEVELS}) +\\[([^\\]]+)\\](?: +\\([^)]*\\))? *:(?: (.*))?$`,
);
/** An indented key of a pino-pretty entry: `    node: {`. */
export const PINO_KEY = /^([ \t]+)([A-Za-z_$][\w$.-]*|"(?:[^"\\]|\\.)*"): ?(.*)$/;

/** Top-level keys of log records (pino, zerolog): a JSON line with them is a log line, not a node. */
const LOG_KEYS = ["msg", "level", "time", "message", "sublogger", "hostname", "pid"];
const JID_OBJECT = /(?:^|[\s{,])["']?_jid["']?\s*:|["']?domainType["']?\s*:\s*\d/m;
const INSPECT_TAG = /(?:^|[\s{,])tag:\s*['"`]/m;
const JSON_TAG = /"tag"\s*:\s*"/;
const JSON_NODE_KEY = /"(?:attrs|content)"\s*:/;

/**
 * Which object form the head of an input (its first ~64 KB) is in, or `undefined`:
 * - `pino-pretty` when it has pino-pretty entry lines (`[ms] INFO: …`) with indented keys (or
 *   mostly such lines);
 * - `undefined` for this project's trace JSON, wacrg YAML, and log records as JSON lines
 *   (Baileys pino NDJSON, zerolog: objects with `msg`/`level`/`time`… at the top and no `tag`),
 *   even when a record holds a node object;
 * - `wa-web-node` when a node has JID objects (`_jid`, `domainType`);
 * - `inspect` when a `tag` key is unquoted with a quoted value (`tag: 'call'`);
 * - `binary-node-json` for `"tag": "…"` with `"attrs"` or `"content"`.
 */
export function detectObjectForm(head: string): ImportFormat | undefined {
  const text = head.replace(/^\uFEFF/, "");
  if (/"format"\s*:\s*"wa-call-inspector-trace"/.test(text) || /^stanza_tag:\s/m.test(text)) return undefined;
  const lines = text.split(/\r?\n/).map((l) => (l.includes("\u001b") ? l.replace(ANSI, "") : l));
  let headers = 0;
  let keys = 0;
  let nonBlank = 0;
  let logRecords = 0;
  let nodeRecords = 0;
  for (const l of lines) {
    if (l.trim() === "") continue;
    nonBlank++;
    if (PINO_HEADER.test(l) || PINO_HEADER_LEVEL_FIRST.test(l)) headers++;
    else if (headers > 0 && PINO_KEY.test(l)) keys++;
    const t = l.trim();
    if (t.startsWith("{") && t.endsWith("}") && logRecords + nodeRecords < 200) {
      let v: unknown;
      try {
        v = JSON.parse(t);
      } catch {
        continue;
      }
      if (typeof v !== "object" || v === null) continue;
      if ("tag" in v) nodeRecords++;
      else if (LOG_KEYS.some((k) => k in v)) logRecords++;
    }
  }
  if (headers > 0 && (keys > 0 || headers * 2 >= nonBlank)) return "pino-pretty";
  if (logRecords > 0 && logRecords >= nodeRecords) return undefined;
  if (JID_OBJECT.test(text) && /\btag\b/.test(text)) return "wa-web-node";
  if (INSPECT_TAG.test(text)) return "inspect";
  if (JSON_TAG.test(text) && JSON_NODE_KEY.test(text)) return "binary-node-json";
  return undefined;
}
