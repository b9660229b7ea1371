/**
 * The codec tap: wraps the two functions of WhatsApp's codec module (`WAWap`, found by the
 * export shape `encodeStanza` + `decodeStanza`; wa-web-runtime.md §2.2). WA resolves
 * `o("WAWap").decodeStanza` on every call, so replacing the namespace export reaches every
 * caller, including the worker-mode proxy on the main thread (§5.3–§5.4), where the config
 * handlers never fire.
 *
 * - `decodeStanza(buf, inflate)` returns a Promise (and may throw synchronously). The wrapper
 *   copies `buf` synchronously, then calls WA's function and returns its value untouched: the
 *   same Promise object, on which the tap never calls `then`. Our codec decodes the copy later,
 *   in a timer task, with the page's token tables.
 * - `encodeStanza(node)` is synchronous. The wrapper calls it first (its errors propagate
 *   untouched) and then records the node it was given (the node was encodable, so it is
 *   what goes out). While the page's dictionary is unknown (no `WAWapDict`), the first few
 *   results are also copied to check, off the call path, whether the page encodes with the
 *   bundled v3 tables (an "encode round trip").
 *
 * Codec calls that are not wire traffic: WA also runs the codec on VoIP engine payloads
 * (`decodeStanza(xmlPayload, identity)` in `WAWebVoipSendSignalingXmpp`, root `<offer>`,
 * `<terminate>`…, later wrapped in a `<call>` that is encoded separately). There is no caller
 * information in the call, so this is inferred from the root tag: a root that is not a
 * top-level stanza tag (`WIRE_STANZA_TAGS`) is counted as a codec payload and never forwarded.
 * The `inflate` argument cannot tell them apart: worker mode decodes wire stanzas with an
 * identity inflate too (§5.3).
 */

import { bufferSourceLength, copyBufferSource } from "../shared/capture/bytes";
import { isTapWrapper, type TapGuard, tapWrapper } from "./guard";

/** Frames larger than this are copied only up to it (enough to classify them), bytes. */
export const MAX_CODEC_COPY = 1 << 20;

/** What the codec tap reports to. */
export interface CodecTapSink {
  /** Bytes given to `decodeStanza` (our copy; `truncatedFrom` when only a prefix was copied). */
  onDecodeBytes(bytes: Uint8Array, t: number, truncatedFrom?: number): void;
  /** The node given to a successful `encodeStanza` call. */
  onEncodeNode(node: unknown, t: number): void;
  /** Whether an encode result should be copied for the dictionary round trip. */
  wantsEncodeResult(): boolean;
  /** An encode result (our copy) with the node it came from. */
  onEncodeResult(node: unknown, bytes: Uint8Array): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Wraps `decodeStanza` and `encodeStanza` on a codec namespace in place (idempotent).
 * @param ns the module's exports object.
 * @param clock capture-time clock (epoch ms).
 * @returns which functions are wrapped after the call (`[]` when the shape does not match).
 * @throws never; a property that cannot be replaced is skipped.
 */
export function wrapCodec(
  ns: Record<string, unknown>,
  sink: CodecTapSink,
  guard: TapGuard,
  clock: () => number,
): string[] {
  const wrapped: string[] = [];
  const decode = ns.decodeStanza;
  const encode = ns.encodeStanza;
  if (typeof decode !== "function" || typeof encode !== "function") return wrapped;

  if (isTapWrapper(decode)) wrapped.push("decodeStanza");
  else {
    const wrapper = tapWrapper(decode as AnyFn, guard, "codec.decodeStanza", {
      before: (_self, args) => {
        const t = clock();
        const n = bufferSourceLength(args[0]);
        const copy = copyBufferSource(args[0], MAX_CODEC_COPY);
        if (copy) sink.onDecodeBytes(copy, t, n > MAX_CODEC_COPY ? n : undefined);
      },
    });
    if (replace(ns, "decodeStanza", wrapper)) wrapped.push("decodeStanza");
  }

  if (isTapWrapper(encode)) wrapped.push("encodeStanza");
  else {
    // After WA's call: an encode that threw sent nothing.
    const wrapper = tapWrapper(encode as AnyFn, guard, "codec.encodeStanza", {
      after: (out, _self, args) => {
        sink.onEncodeNode(args[0], clock());
        if (sink.wantsEncodeResult()) {
          const copy = copyBufferSource(out, MAX_CODEC_COPY);
          if (copy) sink.onEncodeResult(args[0], copy);
        }
      },
    });
    if (replace(ns, "encodeStanza", wrapper)) wrapped.push("encodeStanza");
  }
  return wrapped;
}

function replace(ns: Record<string, unknown>, key: string, value: AnyFn): boolean {
  try {
    ns[key] = value;
    if (ns[key] === value) return true;
  } catch {
    // frozen or accessor-only export: try defineProperty
  }
  try {
    Object.defineProperty(ns, key, { value, configurable: true, writable: true, enumerable: true });
    return ns[key] === value;
  } catch {
    return false;
  }
}
