/**
 * Values of the object-shaped published forms (real-captures.md forms 3–6) as portable nodes:
 * Baileys' BinaryNode `{tag, attrs, content}` (from JSON or `util.inspect` output) and WhatsApp
 * Web's own node objects, whose JID attributes are `WapJid` objects (`{_jid: {type, user, …}}`).
 * Everything that had to be assumed or could not be kept is reported as a repair with its line.
 */
import { bytesToBase64 } from "../codec/bytetext";
import { adDomainToServer, formatJid, type Jid, SERVER } from "../codec/jid";
import type { PortableNode } from "../trace/types";
import { isObj, lineOf, Mark, type Obj, type Val } from "./objects-value";

/** A repair found while converting a value (committed by the reader when its stanza is kept). */
export interface ValueRepair {
  line: number;
  /** `truncated` (a part the printer cut), `jid` (a JID object without a known server), `dropped` (a value no node can hold). */
  kind: "truncated" | "jid" | "dropped";
  reason: string;
}

/**
 * Whether `v` has a node's shape: a string `tag` and an `attrs` or `content` key; a `child` (an
 * element of a node's content) may also be a lone `{tag}` (a node written without attributes,
 * or one cut off after its tag).
 */
export function isNodeLike(v: Val, child = false): v is Obj {
  if (!isObj(v) || typeof v.tag !== "string" || v.tag === "") return false;
  return "attrs" in v || "content" in v || (child && Object.keys(v).length === 1);
}

/** A node found in a value, its line, and the repairs it took (to report only when it is kept). */
export interface FoundNode {
  node: PortableNode;
  line: number;
  repairs: ValueRepair[];
}

/**
 * The nodes in a value read from the text: the value itself when node-shaped, else the nodes
 * among the elements of an array or the values of an object (a wrapper like `{ node: … }`), to
 * `depth` levels down. Other values (a call event, a settings object) hold no node.
 * @param line the line of the value when it has none of its own (JSON).
 */
export function findNodes(v: Val, line: number, depth = 3, out: FoundNode[] = []): FoundNode[] {
  if (isNodeLike(v)) {
    const repairs: ValueRepair[] = [];
    out.push({ node: toNode(v, line, repairs), line: lineOf(v, line), repairs });
  } else if (depth > 0 && (Array.isArray(v) || isObj(v)) && !isJidObject(v)) {
    for (const x of Array.isArray(v) ? v : Object.values(v as Obj))
      findNodes(x, lineOf(v, line), depth - 1, out);
  }
  return out;
}

/** Converts a node-shaped value (`isNodeLike`). */
export function toNode(v: Obj, fallbackLine: number, repairs: ValueRepair[]): PortableNode {
  const line = lineOf(v, fallbackLine);
  const tag = v.tag as string;
  const node: PortableNode = { tag, attrs: {} };
  const a = v.attrs;
  if (a instanceof Mark) {
    repairs.push({
      line: a.line,
      kind: a.kind === "cut" ? "truncated" : "dropped",
      reason: `attributes of <${tag}> cut to [${a.what}]: unknown`,
    });
  } else if (isObj(a)) {
    for (const [k, x] of Object.entries(a)) {
      const s = attrValue(x, k, tag, lineOf(a, line), repairs);
      if (s === undefined) continue;
      if (k === "__proto__")
        repairs.push({
          line: lineOf(a, line),
          kind: "dropped",
          reason: `attribute __proto__ of <${tag}>: dropped`,
        });
      else node.attrs[k] = s;
    }
  } else if (a !== undefined && a !== null) {
    repairs.push({ line, kind: "dropped", reason: `attrs of <${tag}> is not an object: dropped` });
  }
  const content = contentOf(v.content, tag, line, repairs);
  if (content !== undefined) node.content = content;
  return node;
}

function attrValue(
  x: Val,
  key: string,
  tag: string,
  line: number,
  repairs: ValueRepair[],
): string | undefined {
  if (typeof x === "string") return x;
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  if (x === undefined || x === null) return undefined;
  if (x instanceof Mark) {
    if (x.kind === "more") {
      repairs.push({
        line: x.line,
        kind: "truncated",
        reason: `${x.more} attribute(s) of <${tag}> not printed`,
      });
      return undefined;
    }
    repairs.push({
      line: x.line,
      kind: x.kind === "cut" ? "truncated" : "dropped",
      reason:
        x.kind === "cut"
          ? `attribute ${key} of <${tag}> cut to [${x.what}]: unknown`
          : `attribute ${key} of <${tag}> is not a string: dropped`,
    });
    return undefined;
  }
  if (isJidObject(x)) {
    const j = jidString(x);
    if (j.problem)
      repairs.push({
        line: lineOf(x, line),
        kind: "jid",
        reason: `attribute ${key} of <${tag}>: ${j.problem}`,
      });
    return j.jid;
  }
  repairs.push({
    line: lineOf(x, line),
    kind: "dropped",
    reason: `attribute ${key} of <${tag}> is not a string: dropped`,
  });
  return undefined;
}

function contentOf(c: Val, tag: string, line: number, repairs: ValueRepair[]): PortableNode["content"] {
  if (c === undefined || c === null) return undefined;
  if (typeof c === "string") return c;
  if (typeof c === "number" || typeof c === "boolean") return String(c);
  if (c instanceof Mark) {
    if (c.kind === "bytes" && c.bytes) {
      if (c.more > 0)
        repairs.push({
          line: c.line,
          kind: "truncated",
          reason: `content of <${tag}>: ${c.bytes.length} of ${c.bytes.length + c.more} bytes printed`,
        });
      return bytesContent(c.bytes, c.more);
    }
    repairs.push({
      line: c.line,
      kind: c.kind === "cut" ? "truncated" : "dropped",
      reason:
        c.kind === "cut"
          ? `content of <${tag}> cut to [${c.what}]: unknown`
          : `content of <${tag}> is not a node list, text or bytes: dropped`,
    });
    return undefined;
  }
  const bytes = jsonBytes(c);
  if (bytes) {
    if (bytes.length === 0 && isObj(c) && !("type" in c))
      repairs.push({
        line: lineOf(c, line),
        kind: "truncated",
        reason: `content of <${tag}> is {} (bytes not serialised, e.g. an ArrayBuffer): read as no bytes`,
      });
    return bytesContent(bytes, 0);
  }
  if (isJidObject(c)) {
    const j = jidString(c);
    if (j.problem)
      repairs.push({ line: lineOf(c, line), kind: "jid", reason: `content of <${tag}>: ${j.problem}` });
    return j.jid;
  }
  if (Array.isArray(c)) {
    const kids: PortableNode[] = [];
    for (const x of c) {
      if (isNodeLike(x, true)) kids.push(toNode(x, lineOf(c, line), repairs));
      else if (x instanceof Mark && (x.kind === "cut" || x.kind === "more"))
        repairs.push({
          line: x.line,
          kind: "truncated",
          reason:
            x.kind === "more"
              ? `${x.more} child node(s) of <${tag}> not printed`
              : `a child of <${tag}> cut to [${x.what}]: dropped`,
        });
      else if (x !== undefined && x !== null)
        repairs.push({
          line: lineOf(x, lineOf(c, line)),
          kind: "dropped",
          reason: `a child of <${tag}> is not a node: dropped`,
        });
    }
    return kids;
  }
  repairs.push({
    line: lineOf(c, line),
    kind: "dropped",
    reason: `content of <${tag}> is not a node list, text or bytes: dropped`,
  });
  return undefined;
}

function bytesContent(bytes: Uint8Array, more: number): PortableNode["content"] {
  return more > 0
    ? { b64: bytesToBase64(bytes), truncatedFrom: bytes.length + more }
    : { b64: bytesToBase64(bytes) };
}

const isByte = (x: Val): x is number => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 255;

/**
 * Bytes as JSON renders them: a Node Buffer `{"type":"Buffer","data":[…]}`, a typed array
 * `{"0":197,"1":210,…}` (also `{}`: an empty one, or an ArrayBuffer), or a non-empty array of
 * byte numbers. `undefined` for anything else.
 */
function jsonBytes(c: Val): Uint8Array | undefined {
  if (Array.isArray(c)) return c.length > 0 && c.every(isByte) ? Uint8Array.from(c) : undefined;
  if (!isObj(c)) return undefined;
  if (c.type === "Buffer" && Array.isArray(c.data) && c.data.every(isByte) && Object.keys(c).length === 2)
    return Uint8Array.from(c.data);
  const keys = Object.keys(c);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== String(i) || !isByte(c[keys[i]])) return undefined;
  return Uint8Array.from(keys, (k) => c[k] as number);
}

/** Whether `v` is a JID object: a `WapJid` (`{_jid: {…}}`) or its inner `{type?, user, server | domainType | agent, device?}`. */
export function isJidObject(v: Val): v is Obj {
  if (!isObj(v)) return false;
  if ("_jid" in v) return true;
  return "user" in v && ("server" in v || "domainType" in v || ("type" in v && typeof v.type === "number"));
}

const num = (x: Val): number | undefined =>
  typeof x === "number" && Number.isInteger(x) && x >= 0 ? x : undefined;

/**
 * A JID object as a JID string `user[:device]@server`, the way WhatsApp Web's
 * `WapJid.toString()` writes it (research wa-web-runtime.md §2.3; `formatJid`). The inner object
 * is `{type, user, server}` for type 0, `{type: 1, user, domainType, device}` for device JIDs
 * (`DomainType` 0 = s.whatsapp.net, 1 = lid, 128 = hosted, 129 = hosted.lid: the AD_JID domain
 * byte, wabinary.md §6, `adDomainToServer`; older builds call it `agent`), type 3 is `msgr`
 * and type 4 `interop` (with `integrator`). An explicit `server` wins. When no server can be
 * worked out, what is known (`user[:device]`) is kept and `problem` says so.
 */
export function jidString(v: Obj): { jid?: string; problem?: string } {
  if ("_jid" in v && !isObj(v._jid))
    return { problem: "JID object cut or empty (_jid is not an object): unknown" };
  const o = isObj(v._jid) ? v._jid : v;
  const user = o.user === null || o.user === undefined ? "" : String(o.user);
  const device = num(o.device);
  let server = typeof o.server === "string" && o.server !== "" ? o.server : undefined;
  const domain = num(o.domainType) ?? num(o.agent);
  if (server === undefined && domain !== undefined && o.type !== 3 && o.type !== 4)
    server = adDomainToServer(domain);
  if (server === undefined && o.type === 3) server = SERVER.MESSENGER;
  if (server === undefined && o.type === 4) server = SERVER.INTEROP;
  if (server === undefined) {
    const known = device === undefined ? user : `${user}:${device}`;
    const what = domain !== undefined ? `unknown domain ${domain}` : "no server, domainType or known type";
    return { jid: known, problem: `JID object with ${what}: kept as "user[:device]" without a server` };
  }
  const jid: Jid = { user, server };
  if (device !== undefined) jid.device = device;
  const integrator = num(o.integrator);
  if (server === SERVER.INTEROP && integrator !== undefined) jid.integrator = integrator;
  return { jid: formatJid(jid) };
}
