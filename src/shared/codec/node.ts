/**
 * The plain node model shared by every part of the extension, the CLI and the tests.
 *
 * A node is what WhatsApp's binary XML (WABinary, `WAWap` in WhatsApp Web) carries:
 * a tag, attributes in wire order, and optional content. JIDs are kept as their
 * usual strings (`user.agent:device@server`), never as objects.
 * Source: ../shared/research/wabinary.md §5, WhatsApp Web module `WAWap` (`WapNode`).
 */
export interface WANode {
  /** Element name, e.g. `call`, `offer`, `ack`. */
  tag: string;
  /** Attribute values as strings, in wire order (object insertion order). */
  attrs: Record<string, string>;
  /**
   * Child nodes, raw bytes (binary content is never decoded as text), or text
   * content (only produced when a token or packed string stands in content position).
   * Absent when the node has no content.
   */
  content?: WANode[] | Uint8Array | string;
}

/** True when `content` is a list of child nodes. */
export function hasChildren(node: WANode): node is WANode & { content: WANode[] } {
  return Array.isArray(node.content);
}

/** The child nodes of `node` (an empty array when its content is bytes, text or absent). */
export function childrenOf(node: WANode): WANode[] {
  return Array.isArray(node.content) ? node.content : [];
}

/** The first child with tag `tag`, or `undefined`. */
export function firstChild(node: WANode, tag: string): WANode | undefined {
  return childrenOf(node).find((c) => c.tag === tag);
}
