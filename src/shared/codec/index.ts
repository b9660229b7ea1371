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
export {
  type CompressionWrapper,
  compressionWrapper,
  type DecodeOptions,
  type DecodeStats,
  decodeFrame,
  decodeNode,
} from "./decoder";
export { type EncodeOptions, encodeFrame, encodeNode } from "./encoder";
export {
  CodecError,
  type CodecErrorCode,
  isCodecError,
  isXmlError,
  XmlError,
  type XmlErrorCode,
} from "./errors";
export {
  AD_DOMAIN,
  adDomainToServer,
  formatJid,
  HOSTED_DEVICE,
  isJid,
  JID_SERVERS,
  type Jid,
  type JidWireForm,
  jidForEncoding,
  jidWireForm,
  parseJid,
  SERVER,
  serverToAdDomain,
  wireUser,
} from "./jid";
export {
  detectLogDialect,
  hasOmittedBytes,
  isClearlyHex,
  isOmittedBytes,
  type LogNode,
  type LogXmlDialect,
  type LogXmlOptions,
  logNodeToWANode,
  type OmittedBytes,
  parseLogXml,
} from "./logxml";
export type { WANode } from "./node";
export * as TAGS from "./tags";
export {
  DEFAULT_TABLES,
  DICT_VERSION,
  DOUBLE_BYTE_TOKENS,
  SINGLE_BYTE_TOKENS,
  type TokenLookup,
  type TokenTables,
  tablesFromWAWapDict,
  tokenLookup,
  type WAWapDictLike,
} from "./tokens";
export {
  BINARY_COMMENT,
  decodeXmlName,
  EMPTY_CHILDREN_COMMENT,
  encodeXmlName,
  nodeToXml,
  type XmlOptions,
} from "./xml";
export { xmlToNode, xmlToNodes } from "./xmlread";
