/**
 * Public entry of the WABinary codec (WhatsApp Web's `WAWap` binary XML, dictionary v3).
 * Pure TypeScript: runs in pages, service workers, DevTools panels and Node.
 * Reference: wabinary.md (wire format), wa-web-runtime.md §2 (WhatsApp Web `WAWap`).
 */
export { type DecodeOptions, decodeFrame, decodeNode } from "./decoder";
export { type EncodeOptions, encodeFrame, encodeNode } from "./encoder";
export { CodecError, type CodecErrorCode, isCodecError } from "./errors";
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
export { childrenOf, firstChild, hasChildren, type WANode } from "./node";
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
export { BINARY_COMMENT, nodeToXml, type XmlOptions } from "./xml";
