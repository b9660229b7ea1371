/**
 * Public entry of the WABinary codec (WhatsApp Web's `WAWap` binary XML, dictionary v3).
 * Pure TypeScript: runs in pages, service workers, DevTools panels and Node.
 * - binary: `decodeFrame` / `encodeFrame` (and `decodeNode` / `encodeNode` without the flags byte);
 * - XML: `nodeToXml` and its exact inverse `xmlToNode` / `xmlToNodes`;
 * - library debug logs (Baileys, whatsmeow, whatsapp-rust): `parseLogXml` → `LogNode`;
 * - the node, `WANode` (the node model, `Node<B>`, and its accessors are in `./node`).
 * Failures are values (`CodecError`, `XmlError`), never exceptions, except for encoding
 * nodes the format cannot carry.
 * Reference: wabinary.md (wire format), wa-web-runtime.md §2 (WhatsApp Web `WAWap`),
 * peer-tools.md §3 (log formats).
 */
export { compressionWrapper, type DecodeStats, decodeFrame, decodeNode } from "./decoder";
export { encodeFrame, encodeNode } from "./encoder";
export { CodecError, type CodecErrorCode, isCodecError, isXmlError, XmlError } from "./errors";
export {
  adDomainToServer,
  formatJid,
  isJid,
  jidForEncoding,
  jidWireForm,
  parseJid,
  serverToAdDomain,
} from "./jid";
export {
  detectLogDialect,
  hasOmittedBytes,
  isClearlyHex,
  isOmittedBytes,
  type LogNode,
  logNodeToWANode,
  parseLogXml,
} from "./logxml";
export type { WANode } from "./node";
export * as TAGS from "./tags";
export {
  DEFAULT_TABLES,
  DICT_VERSION,
  DOUBLE_BYTE_TOKENS,
  SINGLE_BYTE_TOKENS,
  type TokenTables,
  tablesFromWAWapDict,
  tokenLookup,
} from "./tokens";
export { BINARY_COMMENT, decodeXmlName, encodeXmlName, nodeToXml } from "./xml";
export { xmlToNode, xmlToNodes } from "./xmlread";
