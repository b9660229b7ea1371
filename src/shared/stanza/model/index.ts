/**
 * The typed call model: a full, typed reading of every call action and of the server's
 * `<relay>` block, on top of the node model. Where `viewStanza` (`../view`) is the cheap
 * summary used for every stanza, this is the detailed reading used by the rule checks and
 * the stanza inspector.
 *
 * Reading is tolerant and never throws: a missing or malformed field is simply absent, an
 * unknown action is kept with `kind: "unknown"`, and children the model does not understand
 * are kept in `unknownChildren`.
 *
 * Layout: `./types` (the types and their constants), `./params` (shared parameters),
 * `./relay` (REL-01 relay block), `./actions` (the table of per-action readers), and here the
 * stanza readers. Sources: as in `./types`.
 */
import { type AnyNode, getChildByTag, getChildren, uintAttr } from "../../codec/node";
import { readAction } from "./actions";
import { readGroupInfo } from "./params";
import { readRelay } from "./relay";
import type { AckModel, CallModel, ReceiptModel, StanzaModel } from "./types";

export { readAction } from "./actions";
export { readRelay } from "./relay";
export * from "./types";

/**
 * Reads a `<call>` stanza: envelope and action(s). Never throws.
 * @param node a `<call>` node (plain or portable).
 */
export function readCall(node: AnyNode): CallModel {
  const a = node.attrs;
  const actions = getChildren(node).map(readAction);
  return {
    kind: "call",
    envelope: {
      id: a.id,
      from: a.from,
      to: a.to,
      t: uintAttr(a.t),
      rawT: a.t,
      e: a.e,
      notify: a.notify,
      platform: a.platform,
      version: a.version,
      offline: a.offline !== undefined,
      participant: a.participant,
      recipient: a.recipient,
    },
    action: actions[0],
    extraActions: actions.slice(1),
  };
}

/**
 * Reads an `<ack>`: its attributes, error code and the server's `<relay>` (REL-01). Never throws.
 * @param node an `<ack>` node.
 */
export function readAck(node: AnyNode): AckModel {
  const a = node.attrs;
  const err = getChildByTag(node, "error");
  const relay = getChildByTag(node, "relay");
  return {
    kind: "ack",
    id: a.id,
    ackClass: a.class,
    type: a.type,
    from: a.from,
    to: a.to,
    t: uintAttr(a.t),
    participant: a.participant,
    recipient: a.recipient,
    error: a.error ?? err?.attrs.code,
    errorText: err?.attrs.text,
    relay: relay ? readRelay(relay) : undefined,
    groupInfo: readGroupInfo(getChildByTag(node, "group_info")),
  };
}

/**
 * Reads a `<receipt>` (SIG-07 offer receipt). Never throws.
 * @param node a `<receipt>` node.
 */
export function readReceipt(node: AnyNode): ReceiptModel {
  const child = getChildren(node)[0];
  const ca = child?.attrs ?? {};
  return {
    kind: "receipt",
    id: node.attrs.id,
    from: node.attrs.from,
    to: node.attrs.to,
    child: child?.tag,
    callId: ca["call-id"],
    callCreator: ca["call-creator"],
    extraChildAttrs: Object.keys(ca).filter((k) => k !== "call-id" && k !== "call-creator"),
    grandchildren: child ? getChildren(child).length : 0,
  };
}

/**
 * The full typed reading of any captured stanza. Never throws.
 * @param node a plain or portable node.
 */
export function readStanza(node: AnyNode): StanzaModel {
  switch (node.tag) {
    case "call":
      return readCall(node);
    case "ack":
      return readAck(node);
    case "receipt":
      return readReceipt(node);
    default:
      return { kind: "other", tag: node.tag };
  }
}
