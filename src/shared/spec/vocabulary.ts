/**
 * The call-signalling vocabulary: every tag and attribute the project knows, with its type,
 * whether it is required, how sure the wacrg corpus is of it, the wacrg part codes and source
 * file that describe it, and a one-line meaning in the project's own words. Plus
 * {@link findUnknowns}, which reports whatever a captured stanza carries that this vocabulary
 * does not know: a research finding, never an error.
 *
 * **Confidence** (`confirmed | probable | speculative | unknown`, as wacrg uses the words):
 * - an item a stanza file (`spec/stanzas/call-*.yaml`) declares keeps that file's confidence,
 *   except where a wacrg part in `review` status states it as a MUST: then it is `probable` and
 *   the difference is listed in {@link STANZA_FILE_DIFFERENCES};
 * - an item only a signalling part states is `probable` when the part is in `review` status
 *   (SIG-01, 03, 04, 05, 07, 08, 16) and `speculative` when it is a `draft` (all others, REL-01);
 * - an item known only from client code (research notes §2, §5, §8) is `speculative`.
 * No item is `confirmed`: the corpus has no confirmed field.
 *
 * **Observed in real traffic** (`observed: "real-traffic"`, with `seen` saying what was seen):
 * the attributes, values and children that call stanzas published in public issues and code
 * comments (2015–2026) carry, as research real-captures.md reports them. An item the corpus
 * or client code already states keeps its confidence, parts and source and gains the mark; an
 * item only real traffic shows has confidence `unknown` (the corpus does not state it), no part
 * and the source `research real-captures.md`. The list is {@link REAL_TRAFFIC}.
 *
 * Paths name a node by its tags from the stanza root, joined with `/` (`call/offer/audio`);
 * an attribute is `path@name` (`call/offer/audio@rate`).
 *
 * Sources: wacrg snapshot 0114515 (`../shared/wacrg/spec/`), ../shared/research/call-signalling.md,
 * ../shared/research/real-captures.md.
 * Pure data: no run-time dependency (it runs in the page and the panel).
 */
import { parseJid } from "../codec/jid";
import { type AnyNode, getChildren } from "../codec/node";
import { VIDEO_STATES } from "../stanza/model";
import { type Confidence, KNOWN_REASONS } from "../stanza/reasons";

/** Corpus confidence (wacrg's four words), shared with the reason vocabulary. */
export type { Confidence };

/**
 * The type of an attribute value:
 * - `string`: any text; `jid`: a JID string (`user[:device]@server` or a bare server);
 * - `uint`: an unsigned decimal; `timestamp`: epoch seconds as an unsigned decimal;
 * - `flag`: `"0"` or `"1"`; `presence`: any value, only its presence matters;
 * - `enum:<name>`: one of the values of {@link ENUMS}`[name]`.
 */
export type ValueType = "string" | "jid" | "uint" | "timestamp" | "flag" | "presence" | `enum:${string}`;

/** What a node carries: nothing, raw bytes, text, child nodes, or bytes or text (REL-01 contents). */
export type ContentType = "empty" | "bytes" | "text" | "bytes-or-text" | "children";

/** The mark of an item seen in real traffic (research real-captures.md). */
export type Observed = "real-traffic";

/** The source of every real-traffic observation. */
export const REAL_TRAFFIC_SOURCE = "research real-captures.md";

/** One known attribute. */
export interface AttrSpec {
  name: string;
  type: ValueType;
  /** Required by the wacrg part or stanza file (for the direction it describes). */
  required: boolean;
  confidence: Confidence;
  /** wacrg part codes, e.g. `["SIG-14"]`. */
  parts: string[];
  /** The wacrg file (relative to the corpus root) or client source that states it. */
  source: string;
  /** One line: what the attribute means. */
  meaning: string;
  /** Seen in real traffic (research real-captures.md); absent when only the corpus or client code states it. */
  observed?: Observed;
  /** With `observed`: what real traffic showed, in one line (values, how it differs from the corpus). */
  seen?: string;
}

/** One known tag in one place of the tree. */
export interface TagSpec {
  tag: string;
  /** How often it occurs under its parent: `1`, `0..1`, `0..n`, `1..n`. */
  occurrence: string;
  confidence: Confidence;
  parts: string[];
  source: string;
  meaning: string;
  content: ContentType;
  attrs: AttrSpec[];
  children: TagSpec[];
  /** Seen in real traffic (research real-captures.md). */
  observed?: Observed;
  /** With `observed`: what real traffic showed, in one line. */
  seen?: string;
}

/** One value of an enumeration. */
export interface EnumValue {
  /** The spelling used for grouping. */
  value: string;
  /** Every accepted wire spelling, `value` first. */
  spellings: string[];
  confidence: Confidence;
  meaning: string;
  parts: string[];
  /** Seen in real traffic (research real-captures.md). */
  observed?: Observed;
  /** With `observed`: where or how it was seen, in one line. */
  seen?: string;
}

/** A closed set of values an attribute takes. */
export interface EnumSpec {
  name: string;
  meaning: string;
  source: string;
  values: EnumValue[];
}

// ---------------------------------------------------------------------------------------------
// Sources

const PROBABLE: Confidence = "probable";
const SPECULATIVE: Confidence = "speculative";

/** wacrg stanza file. */
const st = (name: string) => `spec/stanzas/call-${name}.yaml`;
/** wacrg signalling part file. */
const sg = (name: string) => `spec/signalling/${name}.yaml`;
const REL01 = "spec/relay/relay-candidates.yaml";
const RUST_CALL = "whatsapp-rust wacore/src/stanza/call.rs";
const RUST_GROUP = "whatsapp-rust wacore/src/stanza/group_call.rs";
const CLIENTS = "client code (research notes §5, §8)";

/** Part codes from a space-separated list (`""` = none). */
function splitParts(parts: string): string[] {
  return parts.split(" ").filter(Boolean);
}

function attr(
  name: string,
  type: ValueType,
  required: boolean,
  confidence: Confidence,
  parts: string,
  source: string,
  meaning: string,
): AttrSpec {
  return { name, type, required, confidence, parts: splitParts(parts), source, meaning };
}

/**
 * An attribute only real traffic shows (research real-captures.md): confidence `unknown`
 * (the corpus does not state it), no part, optional.
 */
function seenAttr(name: string, type: ValueType, meaning: string, seen: string): AttrSpec {
  return {
    name,
    type,
    required: false,
    confidence: "unknown",
    parts: [],
    source: REAL_TRAFFIC_SOURCE,
    meaning,
    observed: "real-traffic",
    seen,
  };
}

/** An enum value only real traffic shows (confidence `unknown`, no part). */
function seenValue(value: string, meaning: string, seen: string): EnumValue {
  return {
    value,
    spellings: [value],
    confidence: "unknown",
    meaning,
    parts: [],
    observed: "real-traffic",
    seen,
  };
}

interface TagOpts {
  occurrence?: string;
  content?: ContentType;
  attrs?: AttrSpec[];
  children?: TagSpec[];
  /** What real traffic showed: marks the tag `observed: "real-traffic"`. */
  seen?: string;
}

function tag(
  name: string,
  confidence: Confidence,
  parts: string,
  source: string,
  meaning: string,
  opts: TagOpts = {},
): TagSpec {
  const children = opts.children ?? [];
  const spec: TagSpec = {
    tag: name,
    occurrence: opts.occurrence ?? "0..1",
    confidence,
    parts: splitParts(parts),
    source,
    meaning,
    content: opts.content ?? (children.length > 0 ? "children" : "empty"),
    attrs: opts.attrs ?? [],
    children,
  };
  if (opts.seen !== undefined) Object.assign(spec, { observed: "real-traffic", seen: opts.seen });
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Enumerations

function values(
  confidence: Confidence,
  parts: string,
  list: [value: string, meaning: string][],
): EnumValue[] {
  return list.map(([value, meaning]) => ({
    value,
    spellings: [value],
    confidence,
    meaning,
    parts: splitParts(parts),
  }));
}

/** Every enumeration an `enum:<name>` attribute type refers to. */
export const ENUMS: Readonly<Record<string, EnumSpec>> = {
  "terminate-reasons": {
    name: "terminate-reasons",
    meaning: "why a call ended or was declined (terminate and reject `reason`)",
    source: "spec/enums/terminate-reasons.yaml",
    values: [
      ...KNOWN_REASONS.map((r) => ({
        value: r.canonical,
        spellings: [...r.spellings],
        confidence: r.confidence,
        meaning: r.meaning,
        parts: [...r.parts],
      })),
      seenValue(
        "uncallable",
        "the callee's device cannot take calls",
        "reported from a Cloud-API business device (`…:99@hosted.lid`)",
      ),
      seenValue(
        "unsupported-audio-caps",
        "the callee cannot use the offered audio formats",
        "on an old reject",
      ),
    ],
  },
  "media-types": {
    name: "media-types",
    meaning: "media of a call or of a state change",
    source: "spec/enums/media-types.yaml",
    values: values(PROBABLE, "SIG-02", [
      ["audio", "audio track (every call has one)"],
      ["video", "video track"],
    ]),
  },
  "enc-types": {
    name: "enc-types",
    meaning: "Signal message type of an `<enc>` carrying the call key",
    source: "spec/enums/enc-types.yaml",
    values: values(PROBABLE, "SIG-01 SIG-17", [
      ["pkmsg", "pre-key message: also sets up the Signal session with that device"],
      ["msg", "message over an existing Signal session"],
    ]),
  },
  "video-state": {
    name: "video-state",
    meaning: "state code of the in-call `video` action",
    source: RUST_CALL,
    values: Object.entries(VIDEO_STATES).map(([code, name]) => ({
      value: code,
      spellings: [code],
      confidence: SPECULATIVE,
      meaning: name,
      parts: ["SIG-02"],
    })),
  },
  "transport-message-type": {
    name: "transport-message-type",
    meaning: "role of a transport exchange",
    source: sg("call-transport"),
    values: values(PROBABLE, "SIG-05", [
      ["1", "relay candidate"],
      ["3", "peer (ICE) candidate; the callee answers with 9"],
      ["9", "keepalive or reply; `<net>` then has no `protocol`"],
    ]),
  },
  "net-medium": {
    name: "net-medium",
    meaning: "`<net medium>`: transport medium (the scale is an open question, SIG-05)",
    source: sg("call-transport"),
    values: [
      ...values(PROBABLE, "SIG-03 SIG-05", [["2", "relay medium, committed in accept and transport"]]),
      ...values(PROBABLE, "SIG-01", [["3", "medium advertised in an offer"]]),
    ],
  },
  keygen: {
    name: "keygen",
    meaning: "`<encopt keygen>`: key-derivation scheme",
    source: sg("call-offer"),
    values: values(PROBABLE, "SIG-01 SIG-03 SIG-04", [["2", "v2 SRTP key path"]]),
  },
  "audio-codec": {
    name: "audio-codec",
    meaning: "`<audio enc>`: audio codec",
    source: sg("call-offer"),
    values: values(PROBABLE, "SIG-01 SIG-03 SIG-04", [["opus", "Opus"]]),
  },
  "audio-rate": {
    name: "audio-rate",
    meaning: "`<audio rate>`: sample rate in Hz",
    source: sg("call-offer"),
    values: values(PROBABLE, "SIG-01 SIG-03 SIG-04", [
      ["8000", "8 kHz, narrowband Opus"],
      ["16000", "16 kHz, wideband"],
    ]),
  },
  "ack-class": {
    name: "ack-class",
    meaning: "`<ack class>` of call acknowledgements",
    source: st("ack"),
    values: values(PROBABLE, "SIG-07", [["call", "acknowledges a `<call>` stanza"]]),
  },
  "call-action": {
    name: "call-action",
    meaning: "`<ack type>`: the action being acknowledged",
    source: st("ack"),
    values: [
      ...values(PROBABLE, "SIG-07", [
        ["offer", "offer"],
        ["offer_notice", "group offer notice"],
        ["preaccept", "preaccept"],
        ["accept", "accept"],
        ["reject", "reject"],
        ["terminate", "terminate"],
        ["transport", "transport"],
        ["relaylatency", "relay latency report"],
      ]),
      ...values(SPECULATIVE, "SIG-02 SIG-06 SIG-09 SIG-11 SIG-13", [
        ["mute_v2", "mute state"],
        ["video", "video state (typed ack in client code)"],
        ["enc_rekey", "group key epoch"],
        ["group_update", "group roster"],
        ["user_action", "participant action (typed ack in client code)"],
        ["screen_share", "screen share (typed ack in client code)"],
        ["waiting_room_update", "waiting room (typed ack in client code)"],
        ["heartbeat", "call heartbeat"],
      ]),
    ],
  },
  "ack-error": {
    name: "ack-error",
    meaning: "`<ack error>`: why the server refused or could not deliver the acknowledged stanza",
    source: CLIENTS,
    values: [
      // SIG-01 (review) states that the server refuses a mis-ordered offer with 439.
      ...values(PROBABLE, "SIG-01", [["439", "offer children out of order (SIG-01's fixed order)"]]),
      seenValue("500", "server error", "on a server ack of an `<accept>` that came from the caller's LID"),
    ],
  },
  "group-offer-code": {
    name: "group-offer-code",
    meaning: "`<offer_notice reason>` and `<user error>` in the answer to a group offer",
    source: REAL_TRAFFIC_SOURCE,
    values: [
      seenValue(
        "427",
        "a call already exists in this group",
        "as `<offer_notice reason>` to companion devices and as `<user error>` in the server's answer",
      ),
    ],
  },
  "notice-type": {
    name: "notice-type",
    meaning: "`<offer_notice type>`",
    source: sg("video-call"),
    values: values(SPECULATIVE, "SIG-02", [["group", "group call"]]),
  },
  "user-action": {
    name: "user-action",
    meaning: "`<user_action action>`",
    source: RUST_GROUP,
    values: values(SPECULATIVE, "SIG-09", [["raise_hand", "raise or lower a hand"]]),
  },
  "hand-state": {
    name: "hand-state",
    meaning: "`<raise_hand raise-hand-state>`",
    source: RUST_GROUP,
    values: values(SPECULATIVE, "SIG-09", [
      ["0", "hand lowered"],
      ["1", "hand raised"],
    ]),
  },
};

// ---------------------------------------------------------------------------------------------
// Shared pieces

const callIdAttr = (confidence: Confidence, parts: string, source: string, required = true) =>
  attr(
    "call-id",
    "string",
    required,
    confidence,
    parts,
    source,
    "logical call id, echoed by every stanza of the call",
  );
const creatorAttr = (confidence: Confidence, parts: string, source: string, required = true) =>
  attr(
    "call-creator",
    "jid",
    required,
    confidence,
    parts,
    source,
    "JID of the caller; identical on every action",
  );

function audio(conf: Confidence, attrConf: Confidence, parts: string, source: string, occurrence = "0..n") {
  return tag("audio", conf, parts, source, "one advertised audio format, in preference order", {
    occurrence,
    attrs: [
      attr("enc", "enum:audio-codec", true, attrConf, parts, source, "codec"),
      attr("rate", "enum:audio-rate", true, attrConf, parts, source, "sample rate, Hz"),
    ],
  });
}

function encNode(
  conf: Confidence,
  attrs: [v: Confidence, type: Confidence, count: Confidence],
  source: string,
) {
  return tag(
    "enc",
    conf,
    "SIG-01",
    source,
    "the call key, Signal-encrypted to one device (content: ciphertext)",
    {
      occurrence: "0..n",
      content: "bytes",
      attrs: [
        attr("v", "uint", false, attrs[0], "SIG-01", source, "payload format version (2)"),
        attr("type", "enum:enc-types", true, attrs[1], "SIG-01", source, "Signal message type"),
        attr("count", "uint", false, attrs[2], "SIG-01", source, "retry counter (0 in client code)"),
      ],
    },
  );
}

function encopt(conf: Confidence, parts: string, source: string) {
  return tag("encopt", conf, parts, source, "encryption options", {
    attrs: [
      attr("keygen", "enum:keygen", false, conf, parts, source, "key-derivation scheme (2 = v2 SRTP path)"),
    ],
  });
}

function capability(conf: Confidence, parts: string, source: string, meaning: string) {
  return tag("capability", conf, parts, source, meaning, {
    content: "bytes",
    attrs: [attr("ver", "uint", false, conf, parts, source, "capability format version (1)")],
  });
}

function videoParam(source: string, parts: string, names: string[]) {
  const known: Record<string, AttrSpec> = {
    enc: attr("enc", "string", false, SPECULATIVE, parts, source, "video encoder codec, e.g. h264"),
    dec: attr(
      "dec",
      "string",
      false,
      SPECULATIVE,
      parts,
      source,
      "video decoder codecs, e.g. H264 or H264,AV1",
    ),
    orientation: attr("orientation", "uint", false, SPECULATIVE, parts, source, "initial camera orientation"),
    screen_width: attr("screen_width", "uint", false, SPECULATIVE, parts, source, "screen width, pixels"),
    screen_height: attr("screen_height", "uint", false, SPECULATIVE, parts, source, "screen height, pixels"),
    device_orientation: attr(
      "device_orientation",
      "uint",
      false,
      SPECULATIVE,
      parts,
      source,
      "device orientation, 0..3 (quarter turns)",
    ),
  };
  return tag(
    "video",
    SPECULATIVE,
    "SIG-02",
    source,
    "video track advertisement; its presence marks a video call",
    {
      attrs: names.map((n) => known[n]),
    },
  );
}

function toTargets(conf: Confidence, parts: string, source: string, withEnc: TagSpec | undefined) {
  return tag("to", conf, parts, source, "one target device", {
    occurrence: "0..n",
    attrs: [attr("jid", "jid", true, conf, parts, source, "device JID")],
    children: withEnc ? [withEnc] : [],
  });
}

function attrTe(source: string, parts: string, names: string[], occurrence = "0..n", tagName = "te") {
  const known: Record<string, AttrSpec> = {
    ip: attr("ip", "string", false, SPECULATIVE, parts, source, "candidate IP address (attribute form)"),
    port: attr("port", "uint", false, SPECULATIVE, parts, source, "candidate UDP port"),
    latency: attr("latency", "uint", false, SPECULATIVE, parts, source, "measured RTT to the candidate, ms"),
    priority: attr("priority", "uint", false, SPECULATIVE, parts, source, "candidate priority"),
    proto: attr("proto", "string", false, SPECULATIVE, parts, source, "transport protocol, e.g. udp"),
  };
  return tag(
    tagName,
    SPECULATIVE,
    parts,
    source,
    "transport endpoint candidate (the stanza file's attribute form)",
    {
      occurrence,
      attrs: names.map((n) => known[n]),
    },
  );
}

function metadata(parts: string) {
  return tag("metadata", SPECULATIVE, parts, RUST_CALL, "A/B test metadata", {
    attrs: [
      attr("peer_abtest_bucket", "string", false, SPECULATIVE, parts, RUST_CALL, "peer's A/B test bucket"),
      attr(
        "peer_abtest_bucket_id_list",
        "string",
        false,
        SPECULATIVE,
        parts,
        RUST_CALL,
        "peer's A/B bucket ids",
      ),
    ],
  });
}

function relayBlock(extraAttrs: AttrSpec[] = []): TagSpec {
  const s = REL01;
  const p = "REL-01";
  return tag("relay", SPECULATIVE, p, s, "server relay allocation: keys, token tables, relay endpoints", {
    attrs: [
      attr("uuid", "string", false, SPECULATIVE, p, s, "opaque relay session id"),
      attr("self_pid", "uint", false, SPECULATIVE, p, s, "own participant id"),
      attr("peer_pid", "uint", false, SPECULATIVE, p, s, "peer participant id"),
      ...extraAttrs,
    ],
    children: [
      tag("key", SPECULATIVE, p, s, "relay key, base64 text (16 bytes decoded)", {
        content: "bytes-or-text",
      }),
      tag("hbh_key", SPECULATIVE, p, s, "hop-by-hop SRTP key, base64 text (30 bytes decoded)", {
        content: "bytes-or-text",
      }),
      tag("warp_mi_tag_len", SPECULATIVE, p, s, "WARP message-integrity tag length, decimal", {
        content: "text",
      }),
      tag("token", SPECULATIVE, p, s, "relay token, indexed", {
        occurrence: "0..n",
        content: "bytes-or-text",
        attrs: [attr("id", "uint", false, SPECULATIVE, p, s, "slot in the token table (0-based)")],
      }),
      tag("auth_token", SPECULATIVE, p, s, "relay auth token, indexed", {
        occurrence: "0..n",
        content: "bytes-or-text",
        attrs: [attr("id", "uint", false, SPECULATIVE, p, s, "slot in the auth token table (0-based)")],
      }),
      tag("te2", SPECULATIVE, p, s, "relay endpoint; content 6 bytes (IPv4:port) or 18 bytes (IPv6:port)", {
        occurrence: "0..n",
        content: "bytes-or-text",
        attrs: [
          attr(
            "relay_id",
            "uint",
            false,
            SPECULATIVE,
            p,
            s,
            "relay id (endpoints merge on relay_id + relay_name)",
          ),
          attr("relay_name", "string", false, SPECULATIVE, p, s, "relay name, e.g. gru1c02"),
          attr("token_id", "uint", false, SPECULATIVE, p, s, "index into the token table"),
          attr("auth_token_id", "uint", false, SPECULATIVE, p, s, "index into the auth token table"),
          attr("is_fna", "flag", false, SPECULATIVE, p, s, "1 = fallback relay, inbound only, never probed"),
          attr("protocol", "uint", false, SPECULATIVE, p, s, "transport protocol code"),
          attr("c2r_rtt", "uint", false, SPECULATIVE, p, s, "client-to-relay RTT, ms"),
          attr(
            "domain_name",
            "string",
            false,
            SPECULATIVE,
            p,
            RUST_GROUP,
            "relay domain name (group relays)",
          ),
        ],
      }),
    ],
  });
}

function groupInfo(): TagSpec {
  const s = RUST_GROUP;
  const p = "SIG-06";
  return tag("group_info", SPECULATIVE, p, s, "group call roster snapshot", {
    attrs: [
      attr("group-jid", "jid", false, SPECULATIVE, p, s, "group the call belongs to"),
      attr("media", "enum:media-types", false, SPECULATIVE, p, s, "media of the group call"),
      attr("transaction-id", "uint", false, SPECULATIVE, p, s, "roster version; older snapshots are stale"),
      attr("connected-limit", "uint", false, SPECULATIVE, p, s, "maximum connected participants"),
      attr("joinable", "flag", false, SPECULATIVE, p, s, "1 = others may join"),
      attr("rekey", "flag", false, SPECULATIVE, p, s, "1 = a key epoch change is requested"),
      attr("call-id", "string", false, SPECULATIVE, p, s, "call id (must match the action)"),
      attr("call-creator", "jid", false, SPECULATIVE, p, s, "call creator (must match the action)"),
    ],
    children: [
      tag("user", SPECULATIVE, p, s, "one participant", {
        occurrence: "0..n",
        attrs: [
          attr("jid", "jid", true, SPECULATIVE, p, s, "participant account"),
          attr("user_pn", "jid", false, SPECULATIVE, p, s, "participant phone-number JID"),
          attr("state", "string", false, SPECULATIVE, p, s, "participant state"),
          attr("type", "string", false, SPECULATIVE, p, s, "participant type"),
        ],
        children: [
          tag("device", SPECULATIVE, p, s, "one device of the participant", {
            occurrence: "0..n",
            attrs: [
              attr("jid", "jid", true, SPECULATIVE, p, s, "device JID"),
              attr("platform", "string", false, SPECULATIVE, p, s, "device platform"),
              attr("pid", "uint", false, SPECULATIVE, p, s, "participant id"),
            ],
            children: [capability(SPECULATIVE, p, s, "the device's capability blob")],
          }),
        ],
      }),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Actions

const OFFER = tag(
  "offer",
  PROBABLE,
  "SIG-01 SIG-16",
  st("offer"),
  "opens a call: media, keys and transport seed",
  {
    attrs: [
      callIdAttr(PROBABLE, "SIG-01 SIG-16", st("offer")),
      creatorAttr(PROBABLE, "SIG-01 SIG-16 SIG-17", st("offer")),
      attr(
        "caller_pn",
        "jid",
        false,
        PROBABLE,
        "SIG-16",
        sg("flow-incoming-1to1"),
        "caller's phone-number JID (inbound)",
      ),
      attr(
        "caller_country_code",
        "string",
        false,
        PROBABLE,
        "SIG-16",
        sg("flow-incoming-1to1"),
        "caller's country",
      ),
      attr(
        "device_class",
        "string",
        false,
        PROBABLE,
        "SIG-16",
        sg("flow-incoming-1to1"),
        "caller's device class",
      ),
      attr(
        "joinable",
        "flag",
        false,
        PROBABLE,
        "SIG-16",
        sg("flow-incoming-1to1"),
        "1 = a joinable (group) call",
      ),
      attr("group-jid", "jid", false, PROBABLE, "SIG-16", sg("flow-incoming-1to1"), "group of a group call"),
    ],
    children: [
      tag("privacy", PROBABLE, "SIG-01", sg("call-offer"), "privacy token (first child when present)", {
        content: "bytes",
      }),
      audio(PROBABLE, PROBABLE, "SIG-01 SIG-16", st("offer")),
      videoParam(st("offer"), "SIG-02", [
        "enc",
        "dec",
        "orientation",
        "screen_width",
        "screen_height",
        "device_orientation",
      ]),
      tag("net", PROBABLE, "SIG-01", st("offer"), "network information", {
        attrs: [
          attr("medium", "enum:net-medium", false, PROBABLE, "SIG-01", st("offer"), "medium advertised (3)"),
        ],
      }),
      capability(PROBABLE, "SIG-01", st("offer"), "7-byte capability blob of the caller's build"),
      tag(
        "destination",
        PROBABLE,
        "SIG-01",
        st("offer"),
        "per-device keys (`to` > `enc`); the stanza file adds `te`",
        {
          children: [
            attrTe(st("offer"), "SIG-01", ["ip", "port", "latency"]),
            toTargets(
              PROBABLE,
              "SIG-01",
              sg("call-offer"),
              encNode(PROBABLE, [PROBABLE, PROBABLE, SPECULATIVE], st("offer")),
            ),
          ],
        },
      ),
      encNode(PROBABLE, [PROBABLE, PROBABLE, SPECULATIVE], st("offer")),
      encopt(PROBABLE, "SIG-01", st("offer")),
      tag("device-identity", PROBABLE, "SIG-01", sg("call-offer"), "signed device identity (last child)", {
        content: "bytes",
      }),
      metadata("SIG-01"),
      relayBlock(),
      groupInfo(),
    ],
  },
);

const OFFER_NOTICE = tag(
  "offer_notice",
  PROBABLE,
  "SIG-07 SIG-16 SIG-02",
  sg("call-ack"),
  "group fan-out notice of a call (ack only, no receipt)",
  {
    attrs: [
      callIdAttr(SPECULATIVE, "SIG-02", RUST_CALL),
      creatorAttr(SPECULATIVE, "SIG-02", RUST_CALL),
      attr("media", "enum:media-types", false, SPECULATIVE, "SIG-02", sg("video-call"), "video iff `video`"),
      attr(
        "type",
        "enum:notice-type",
        false,
        SPECULATIVE,
        "SIG-02",
        sg("video-call"),
        "`group` = group call",
      ),
      seenAttr(
        "reason",
        "enum:group-offer-code",
        "why the notice was sent (427 = a call already exists in this group)",
        "427",
      ),
      seenAttr("caller_pn", "jid", "caller's phone-number JID", "beside a LID call-creator"),
    ],
  },
);

const PREACCEPT = tag("preaccept", PROBABLE, "SIG-04", st("preaccept"), "callee is ringing; not an answer", {
  attrs: [callIdAttr(PROBABLE, "SIG-04", st("preaccept")), creatorAttr(PROBABLE, "SIG-04", st("preaccept"))],
  children: [
    audio(PROBABLE, PROBABLE, "SIG-04", sg("call-preaccept"), "1..n"),
    videoParam(RUST_CALL, "SIG-02", ["dec", "device_orientation", "screen_width", "screen_height"]),
    encopt(PROBABLE, "SIG-04", sg("call-preaccept")),
    capability(PROBABLE, "SIG-04", sg("call-preaccept"), "7-byte capability blob (…bb 07 per SIG-04)"),
    tag(
      "destination",
      SPECULATIVE,
      "SIG-04",
      st("preaccept"),
      "early transport candidates (stanza file only)",
      {
        children: [attrTe(st("preaccept"), "SIG-04", ["ip", "port"])],
      },
    ),
  ],
});

const ACCEPT = tag("accept", PROBABLE, "SIG-03", st("accept"), "callee answered", {
  attrs: [callIdAttr(PROBABLE, "SIG-03", st("accept")), creatorAttr(PROBABLE, "SIG-03", st("accept"))],
  children: [
    audio(PROBABLE, PROBABLE, "SIG-03", sg("call-accept"), "1..n"),
    videoParam(RUST_CALL, "SIG-02", ["dec", "device_orientation"]),
    tag("te", PROBABLE, "SIG-03", sg("call-accept"), "relay transport endpoint blob, right after the audio", {
      content: "bytes",
      attrs: [
        attr("priority", "uint", false, PROBABLE, "SIG-03", sg("call-accept"), "candidate priority (2)"),
      ],
    }),
    tag("net", PROBABLE, "SIG-03", sg("call-accept"), "committed transport medium", {
      attrs: [attr("medium", "enum:net-medium", true, PROBABLE, "SIG-03", sg("call-accept"), "medium (2)")],
    }),
    encopt(PROBABLE, "SIG-03", sg("call-accept")),
    metadata("SIG-03"),
    capability(PROBABLE, "SIG-03", sg("call-accept"), "7-byte capability blob"),
    tag("rte", PROBABLE, "SIG-03", sg("call-accept"), "relay token extension blob", { content: "bytes" }),
    tag("voip_settings", PROBABLE, "SIG-03", sg("call-accept"), "VoIP settings blob; last child", {
      content: "bytes",
      attrs: [
        attr("uncompressed", "flag", false, PROBABLE, "SIG-03", sg("call-accept"), "1 = body not compressed"),
      ],
    }),
    encNode(SPECULATIVE, [SPECULATIVE, SPECULATIVE, SPECULATIVE], st("accept")),
    tag("destination", SPECULATIVE, "SIG-03", st("accept"), "callee's endpoints (stanza file only)", {
      children: [attrTe(st("accept"), "SIG-03", ["ip", "port"])],
    }),
  ],
});

const REJECT = tag(
  "reject",
  PROBABLE,
  "SIG-08",
  st("reject"),
  "callee declined an offer it had not answered",
  {
    attrs: [
      callIdAttr(PROBABLE, "SIG-08", st("reject")),
      creatorAttr(PROBABLE, "SIG-08", st("reject")),
      attr(
        "reason",
        "enum:terminate-reasons",
        false,
        PROBABLE,
        "SIG-08",
        st("reject"),
        "why (stanza file; SIG-08 allows no attribute besides the two ids)",
      ),
      attr(
        "count",
        "string",
        false,
        SPECULATIVE,
        "SIG-08",
        CLIENTS,
        "retry count, `0` in every client library (§8)",
      ),
    ],
  },
);

const TERMINATE = tag(
  "terminate",
  PROBABLE,
  "SIG-14 SIG-12",
  st("terminate"),
  "ends a call or a ringing offer",
  {
    attrs: [
      callIdAttr(PROBABLE, "SIG-14", st("terminate")),
      attr(
        "reason",
        "enum:terminate-reasons",
        false,
        PROBABLE,
        "SIG-14",
        st("terminate"),
        "why; omitted, never empty",
      ),
      creatorAttr(SPECULATIVE, "SIG-14", st("terminate")),
      attr(
        "duration",
        "uint",
        false,
        SPECULATIVE,
        "SIG-14",
        sg("call-terminate"),
        "call duration, s (inbound, u32)",
      ),
      attr(
        "audio_duration",
        "uint",
        false,
        SPECULATIVE,
        "SIG-14",
        sg("call-terminate"),
        "audio duration, s (u32)",
      ),
    ],
    children: [
      tag("destination", SPECULATIVE, "SIG-14", sg("call-terminate"), "devices to hang up (one `to` each)", {
        children: [toTargets(SPECULATIVE, "SIG-14", sg("call-terminate"), undefined)],
      }),
    ],
  },
);

const TRANSPORT = tag("transport", PROBABLE, "SIG-05", st("transport"), "relay and peer candidate exchange", {
  attrs: [
    callIdAttr(PROBABLE, "SIG-05", st("transport")),
    creatorAttr(PROBABLE, "SIG-05", st("transport"), false),
    attr("ver", "uint", false, SPECULATIVE, "SIG-05", st("transport"), "update version (stanza file only)"),
    attr(
      "p2p-cand-round",
      "uint",
      false,
      PROBABLE,
      "SIG-05",
      sg("call-transport"),
      "peer candidate round number",
    ),
    attr(
      "transport-message-type",
      "enum:transport-message-type",
      false,
      PROBABLE,
      "SIG-05",
      sg("call-transport"),
      "exchange role",
    ),
  ],
  children: [
    tag("te", PROBABLE, "SIG-05", sg("call-transport"), "relay token blob, before `net`", {
      content: "bytes",
      attrs: [
        attr("priority", "uint", false, PROBABLE, "SIG-05", sg("call-transport"), "candidate priority (1)"),
      ],
    }),
    tag("net", PROBABLE, "SIG-05", sg("call-transport"), "transport medium and protocol", {
      attrs: [
        attr("medium", "enum:net-medium", true, PROBABLE, "SIG-05", sg("call-transport"), "medium (2)"),
        attr("protocol", "uint", false, PROBABLE, "SIG-05", sg("call-transport"), "0; absent for type 9"),
      ],
    }),
    tag("destination", PROBABLE, "SIG-05", st("transport"), "relay candidates (stanza file only)", {
      children: [
        attrTe(st("transport"), "SIG-05", ["ip", "port", "priority", "proto", "latency"]),
        attrTe(st("transport"), "SIG-05", ["ip", "port"], "0..n", "endpoint"),
      ],
    }),
  ],
});

const RELAYLATENCY = tag("relaylatency", PROBABLE, "SIG-15", st("relaylatency"), "relay RTT report", {
  attrs: [
    callIdAttr(SPECULATIVE, "SIG-15", st("relaylatency")),
    creatorAttr(SPECULATIVE, "SIG-15", sg("call-relaylatency")),
  ],
  children: [
    tag(
      "te",
      SPECULATIVE,
      "SIG-15",
      sg("call-relaylatency"),
      "the measured relay; content: its packed address",
      {
        occurrence: "1",
        content: "bytes",
        attrs: [
          attr(
            "latency",
            "uint",
            true,
            SPECULATIVE,
            "SIG-15",
            sg("call-relaylatency"),
            "0x02000000 + RTT in ms",
          ),
          attr(
            "relay_name",
            "string",
            true,
            SPECULATIVE,
            "SIG-15",
            sg("call-relaylatency"),
            "relay name, e.g. gru1c02",
          ),
        ],
      },
    ),
    tag("destination", SPECULATIVE, "SIG-15", sg("call-relaylatency"), "target peer devices", {
      children: [toTargets(SPECULATIVE, "SIG-15", sg("call-relaylatency"), undefined)],
    }),
    tag("relay", SPECULATIVE, "SIG-15", st("relaylatency"), "one relay sample (stanza file's model)", {
      occurrence: "0..n",
      attrs: [
        attr("ip", "string", false, SPECULATIVE, "SIG-15", st("relaylatency"), "probed relay address"),
        attr("token", "string", false, SPECULATIVE, "SIG-15", st("relaylatency"), "relay token"),
        attr("latency", "uint", true, SPECULATIVE, "SIG-15", st("relaylatency"), "measured RTT"),
        attr("jitter", "uint", false, SPECULATIVE, "SIG-15", st("relaylatency"), "jitter estimate"),
      ],
    }),
  ],
});

const MUTE_V2 = tag(
  "mute_v2",
  SPECULATIVE,
  "SIG-13",
  sg("call-mute"),
  "microphone mute state (absolute, per change)",
  {
    attrs: [
      callIdAttr(SPECULATIVE, "SIG-13", sg("call-mute")),
      creatorAttr(SPECULATIVE, "SIG-13", sg("call-mute")),
      attr(
        "mute-state",
        "string",
        true,
        SPECULATIVE,
        "SIG-13",
        sg("call-mute"),
        "the new mute state (values unknown)",
      ),
    ],
  },
);

const MUTE_V1 = tag("mute", SPECULATIVE, "SIG-13", st("mute"), "v1 mute model of the stanza file", {
  attrs: [
    callIdAttr(PROBABLE, "SIG-13", st("mute")),
    creatorAttr(PROBABLE, "SIG-13", st("mute"), false),
    attr(
      "media",
      "enum:media-types",
      false,
      SPECULATIVE,
      "SIG-13",
      st("mute"),
      "track the change applies to",
    ),
    attr("value", "string", false, SPECULATIVE, "SIG-13", st("mute"), "new mute state as a boolean"),
  ],
});

const VIDEO_ACTION = tag(
  "video",
  SPECULATIVE,
  "SIG-02 SIG-13",
  st("mute"),
  "in-call video state change or upgrade",
  {
    attrs: [
      callIdAttr(PROBABLE, "SIG-13", st("mute")),
      creatorAttr(SPECULATIVE, "SIG-02", RUST_CALL),
      attr(
        "state",
        "enum:video-state",
        true,
        SPECULATIVE,
        "SIG-13",
        st("mute"),
        "state code (stanza file: on/off)",
      ),
      attr("dec", "string", false, SPECULATIVE, "SIG-02", RUST_CALL, "decodable video codecs"),
      attr("device_orientation", "uint", false, SPECULATIVE, "SIG-02", RUST_CALL, "device orientation, 0..3"),
      attr(
        "voip_settings",
        "string",
        false,
        SPECULATIVE,
        "SIG-02",
        RUST_CALL,
        "`video` on an upgrade request v2",
      ),
    ],
  },
);

const ENC_REKEY = tag("enc_rekey", SPECULATIVE, "SIG-06", RUST_GROUP, "group key epoch for one device", {
  attrs: [
    callIdAttr(SPECULATIVE, "SIG-06", RUST_GROUP),
    creatorAttr(SPECULATIVE, "SIG-06", RUST_GROUP),
    attr("transaction-id", "uint", true, SPECULATIVE, "SIG-06", RUST_GROUP, "epoch number"),
  ],
  children: [
    encopt(SPECULATIVE, "SIG-06", RUST_GROUP),
    encNode(SPECULATIVE, [SPECULATIVE, SPECULATIVE, SPECULATIVE], RUST_GROUP),
    tag("device-identity", SPECULATIVE, "SIG-06", RUST_GROUP, "signed device identity", { content: "bytes" }),
    tag("destination", SPECULATIVE, "SIG-06", CLIENTS, "per-device fan-out (allowed on enc_rekey, §8)", {
      children: [
        toTargets(
          SPECULATIVE,
          "SIG-06",
          CLIENTS,
          encNode(SPECULATIVE, [SPECULATIVE, SPECULATIVE, SPECULATIVE], RUST_GROUP),
        ),
      ],
    }),
  ],
});

const GROUP_UPDATE = tag("group_update", SPECULATIVE, "SIG-06", RUST_GROUP, "authoritative group roster", {
  attrs: [callIdAttr(SPECULATIVE, "SIG-06", RUST_GROUP), creatorAttr(SPECULATIVE, "SIG-06", RUST_GROUP)],
  children: [
    groupInfo(),
    tag("av_upgrade", SPECULATIVE, "SIG-06", RUST_GROUP, "audio-to-video upgrade permission", {
      attrs: [
        attr("av-upgradable", "flag", false, SPECULATIVE, "SIG-06", RUST_GROUP, "1 = may upgrade to video"),
      ],
    }),
    relayBlock([
      attr(
        "transaction-id",
        "uint",
        false,
        SPECULATIVE,
        "SIG-06",
        RUST_GROUP,
        "roster version of the relay block",
      ),
      attr("participant_uuid", "string", false, SPECULATIVE, "SIG-06", RUST_GROUP, "own participant uuid"),
      attr(
        "attribute_padding",
        "flag",
        false,
        SPECULATIVE,
        "SIG-06",
        RUST_GROUP,
        "1 = STUN attribute padding",
      ),
      attr(
        "warp_mi_tag_len",
        "uint",
        false,
        SPECULATIVE,
        "SIG-06",
        RUST_GROUP,
        "WARP tag length (attribute form)",
      ),
    ]),
  ],
});

const USER_ACTION = tag(
  "user_action",
  SPECULATIVE,
  "SIG-09",
  RUST_GROUP,
  "participant action, e.g. raise hand",
  {
    attrs: [
      callIdAttr(SPECULATIVE, "SIG-09", RUST_GROUP),
      creatorAttr(SPECULATIVE, "SIG-09", RUST_GROUP),
      attr("action", "enum:user-action", true, SPECULATIVE, "SIG-09", RUST_GROUP, "which action"),
    ],
    children: [
      tag("raise_hand", SPECULATIVE, "SIG-09", RUST_GROUP, "hand state", {
        attrs: [
          attr(
            "raise-hand-state",
            "enum:hand-state",
            true,
            SPECULATIVE,
            "SIG-09",
            RUST_GROUP,
            "1 raised, 0 lowered",
          ),
        ],
      }),
    ],
  },
);

const SCREEN_SHARE = tag("screen_share", SPECULATIVE, "SIG-11", RUST_GROUP, "screen share start or stop", {
  attrs: [
    callIdAttr(SPECULATIVE, "SIG-11", RUST_GROUP),
    creatorAttr(SPECULATIVE, "SIG-11", RUST_GROUP),
    attr("screenshare_state", "uint", true, SPECULATIVE, "SIG-11", RUST_GROUP, "screen share state code"),
    attr("version", "uint", true, SPECULATIVE, "SIG-11", RUST_GROUP, "screen share protocol version (2)"),
    attr("screen_share_id", "uint", false, SPECULATIVE, "SIG-11", RUST_GROUP, "screen share stream id"),
  ],
});

const WAITING_ROOM_UPDATE = tag(
  "waiting_room_update",
  SPECULATIVE,
  "SIG-06",
  RUST_GROUP,
  "call-link waiting room",
  {
    attrs: [callIdAttr(SPECULATIVE, "SIG-06", RUST_GROUP), creatorAttr(SPECULATIVE, "SIG-06", RUST_GROUP)],
    children: [
      tag("waiting_room", SPECULATIVE, "SIG-06", RUST_GROUP, "waiting room state", {
        attrs: [
          callIdAttr(SPECULATIVE, "SIG-06", RUST_GROUP),
          creatorAttr(SPECULATIVE, "SIG-06", RUST_GROUP),
          attr("link-token", "string", true, SPECULATIVE, "SIG-06", RUST_GROUP, "call link token"),
          attr("media", "enum:media-types", true, SPECULATIVE, "SIG-06", RUST_GROUP, "call media"),
          attr("enabled", "flag", false, SPECULATIVE, "SIG-06", RUST_GROUP, "1 = approval required"),
          attr("is_admin", "flag", false, SPECULATIVE, "SIG-06", RUST_GROUP, "1 = this device may admit"),
          attr("transaction-id", "uint", false, SPECULATIVE, "SIG-06", RUST_GROUP, "state version"),
        ],
        children: [
          tag("user", SPECULATIVE, "SIG-06", RUST_GROUP, "a waiting user", {
            occurrence: "0..n",
            attrs: [
              attr("jid", "jid", true, SPECULATIVE, "SIG-06", RUST_GROUP, "user account"),
              attr("user_pn", "jid", false, SPECULATIVE, "SIG-06", RUST_GROUP, "user phone-number JID"),
              attr("state", "string", true, SPECULATIVE, "SIG-06", RUST_GROUP, "waiting state"),
            ],
          }),
        ],
      }),
    ],
  },
);

const HEARTBEAT = tag(
  "heartbeat",
  SPECULATIVE,
  "SIG-14",
  sg("call-terminate"),
  "call keepalive, sent to `{call-id}@call`",
  {
    attrs: [
      callIdAttr(SPECULATIVE, "SIG-14", RUST_CALL),
      creatorAttr(SPECULATIVE, "SIG-14", RUST_CALL),
      attr(
        "type",
        "string",
        false,
        SPECULATIVE,
        "SIG-06",
        RUST_GROUP,
        "`waiting_room` for a pending call-link join",
      ),
    ],
  },
);

// ---------------------------------------------------------------------------------------------
// Roots

/** `<call>`: the envelope and its actions (SIG-16; research notes §2). */
const CALL = tag(
  "call",
  PROBABLE,
  "SIG-16 SIG-07",
  st("offer"),
  "a call-signalling stanza wrapping one action",
  {
    occurrence: "1",
    attrs: [
      attr("from", "jid", true, PROBABLE, "SIG-16", st("offer"), "sender; stamped by the server on delivery"),
      attr(
        "to",
        "jid",
        true,
        PROBABLE,
        "SIG-03 SIG-04 SIG-08 SIG-14 SIG-15",
        st("offer"),
        "addressee device or `{call-id}@call`",
      ),
      attr(
        "id",
        "string",
        true,
        PROBABLE,
        "SIG-07 SIG-16",
        st("offer"),
        "stanza id: pairs the ack and the offer receipt",
      ),
      attr(
        "t",
        "timestamp",
        false,
        PROBABLE,
        "SIG-16",
        st("offer"),
        "server time, epoch s (required inbound)",
      ),
      attr(
        "e",
        "string",
        false,
        PROBABLE,
        "SIG-16",
        sg("flow-incoming-1to1"),
        "`1` = offline delivery (client code: a timestamp, §8)",
      ),
      attr("notify", "string", false, PROBABLE, "SIG-16", sg("flow-incoming-1to1"), "caller's display name"),
      attr("platform", "string", false, PROBABLE, "SIG-16", sg("flow-incoming-1to1"), "caller's platform"),
      attr("version", "string", false, PROBABLE, "SIG-16", sg("flow-incoming-1to1"), "caller's app version"),
      attr(
        "offline",
        "presence",
        false,
        SPECULATIVE,
        "SIG-16",
        CLIENTS,
        "offline-queue replay marker (client code, §8)",
      ),
      attr(
        "participant",
        "jid",
        false,
        SPECULATIVE,
        "SIG-07",
        CLIENTS,
        "participant routing, echoed by the ack",
      ),
      attr("recipient", "jid", false, SPECULATIVE, "SIG-07", CLIENTS, "recipient routing, echoed by the ack"),
      seenAttr("retry", "uint", "delivery retry count of an inbound call stanza", "3"),
    ],
    children: [
      OFFER,
      OFFER_NOTICE,
      PREACCEPT,
      ACCEPT,
      REJECT,
      TERMINATE,
      TRANSPORT,
      RELAYLATENCY,
      MUTE_V2,
      VIDEO_ACTION,
      ENC_REKEY,
      GROUP_UPDATE,
      USER_ACTION,
      SCREEN_SHARE,
      WAITING_ROOM_UPDATE,
      HEARTBEAT,
      MUTE_V1,
    ],
  },
);

/** `<ack class="call">`: the server's ack of an outbound stanza, or this device's ack of an inbound one (SIG-07). */
const ACK = tag("ack", PROBABLE, "SIG-07", st("ack"), "acknowledges a `<call>` by its stanza id", {
  occurrence: "1",
  attrs: [
    attr("id", "string", true, PROBABLE, "SIG-07", st("ack"), "id of the acknowledged `<call>`"),
    attr(
      "class",
      "enum:ack-class",
      true,
      PROBABLE,
      "SIG-07",
      st("ack"),
      "stanza class acknowledged (`call`)",
    ),
    attr("from", "jid", false, PROBABLE, "SIG-07", st("ack"), "sender of the ack (server or device)"),
    attr("to", "jid", false, SPECULATIVE, "SIG-07", st("ack"), "sender of the acknowledged stanza"),
    attr(
      "type",
      "enum:call-action",
      false,
      SPECULATIVE,
      "SIG-07",
      st("ack"),
      "acknowledged action, e.g. `offer`",
    ),
    attr("t", "timestamp", false, SPECULATIVE, "SIG-07", st("ack"), "server time, epoch s"),
    attr("participant", "jid", false, SPECULATIVE, "SIG-07", CLIENTS, "echo of the call's `participant`"),
    attr("recipient", "jid", false, SPECULATIVE, "SIG-07", CLIENTS, "echo of the call's `recipient`"),
    attr(
      "error",
      "enum:ack-error",
      false,
      SPECULATIVE,
      "SIG-07 SIG-01",
      CLIENTS,
      "refusal code, e.g. 439 = mis-ordered offer",
    ),
  ],
  children: [
    tag("error", SPECULATIVE, "SIG-07", st("ack"), "why the stanza was refused", {
      attrs: [
        attr("code", "uint", false, SPECULATIVE, "SIG-07", st("ack"), "numeric error code"),
        attr("text", "string", false, SPECULATIVE, "SIG-07", st("ack"), "error text"),
        seenAttr(
          "call-creator",
          "jid",
          "the refused call's creator",
          '`<error call-creator call-id jid>` under an ack with `error="500"`',
        ),
        seenAttr("call-id", "string", "the refused call's id", "with call-creator and jid"),
        seenAttr("jid", "jid", "this device's own JID", "the acked device's own JID"),
      ],
    }),
    tag("user", "unknown", "", REAL_TRAFFIC_SOURCE, "a user the server could not offer a group call to", {
      occurrence: "0..n",
      seen: '`<user error="427" jid>` in the server\'s answer to a group offer',
      attrs: [
        seenAttr("error", "enum:group-offer-code", "why (427 = a call already exists in this group)", "427"),
        seenAttr("jid", "jid", "the user", "a LID"),
      ],
    }),
    relayBlock(),
    groupInfo(),
  ],
});

/** `<receipt><offer/></receipt>`: the callee device's offer receipt (SIG-07). */
const RECEIPT = tag(
  "receipt",
  PROBABLE,
  "SIG-07 SIG-12 SIG-16",
  sg("call-ack"),
  "offer receipt: the offer reached a device",
  {
    occurrence: "1",
    attrs: [
      attr("to", "jid", true, PROBABLE, "SIG-07", sg("call-ack"), "the offer's `from`"),
      attr(
        "id",
        "string",
        true,
        PROBABLE,
        "SIG-07",
        sg("call-ack"),
        "the offer's stanza id (not the call-id)",
      ),
      attr(
        "from",
        "jid",
        false,
        PROBABLE,
        "SIG-07",
        sg("call-ack"),
        "own LID or PN, matching the caller's space",
      ),
    ],
    children: [
      tag("offer", PROBABLE, "SIG-07", sg("call-ack"), "names the offered call; nothing else", {
        occurrence: "1",
        attrs: [
          callIdAttr(PROBABLE, "SIG-07", sg("call-ack")),
          creatorAttr(PROBABLE, "SIG-07", sg("call-ack")),
        ],
      }),
    ],
  },
);

/** The vocabulary's stanza roots by tag: `call`, `ack`, `receipt`. */
export const VOCABULARY: Readonly<Record<"call" | "ack" | "receipt", TagSpec>> = {
  call: CALL,
  ack: ACK,
  receipt: RECEIPT,
};

// ---------------------------------------------------------------------------------------------
// Real traffic

/** One item of {@link REAL_TRAFFIC}: a vocabulary path or an enum value, and what was seen. */
export interface RealTrafficItem {
  /** `path` or `path@attribute` (as {@link walkVocabulary} writes it), or `enum:<name>=<value>`. */
  item: string;
  /** What real traffic showed, in one line. */
  seen: string;
}

const LID_SINCE_2025 = "a LID (`…@lid`) since late 2025";

/**
 * The items the corpus or client code already knew that real traffic showed too (research
 * real-captures.md). Each keeps its confidence, parts and source and is marked
 * `observed: "real-traffic"` with `seen`. Items only real traffic shows carry the mark where
 * they are declared (confidence `unknown`).
 */
export const REAL_TRAFFIC_KNOWN: readonly RealTrafficItem[] = [
  { item: "call@from", seen: `on every inbound call; ${LID_SINCE_2025}` },
  { item: "call@id", seen: "32 uppercase hex, `<epoch>-<n>` or `<u16>.<u16>-<n>`" },
  { item: "call@t", seen: "epoch seconds on every inbound call" },
  { item: "call@offline", seen: "0, 1, 3 and 6 on stanzas queued while the client was offline" },
  { item: "call@platform", seen: "android, iphone" },
  { item: "call@version", seen: "an app version such as 2.26.30.78" },
  { item: "call@notify", seen: "the caller's push name" },
  { item: "call/offer@call-id", seen: "32 uppercase hex, or `<epoch>-<n>` in old captures" },
  { item: "call/offer@call-creator", seen: LID_SINCE_2025 },
  { item: "call/offer@device_class", seen: "in a 2015 capture" },
  { item: "call/offer@caller_pn", seen: "the caller's phone-number JID when `from` is a LID" },
  { item: "call/offer@joinable", seen: "1" },
  { item: "call/offer@caller_country_code", seen: "a two-letter country code" },
  { item: "call/offer/privacy", seen: "bytes, first child" },
  { item: "call/offer/audio", seen: "often twice (8000 and 16000)" },
  { item: "call/offer/audio@enc", seen: "opus" },
  { item: "call/offer/audio@rate", seen: "8000, 16000" },
  { item: "call/offer/video", seen: "with enc, dec, device_orientation, screen_width, screen_height" },
  { item: "call/offer/video@enc", seen: '"h.264"' },
  { item: "call/offer/video@dec", seen: '"H264,H265,AV1"' },
  { item: "call/offer/video@device_orientation", seen: "present on video offers" },
  { item: "call/offer/video@screen_width", seen: "present on video offers" },
  { item: "call/offer/video@screen_height", seen: "present on video offers" },
  { item: "call/offer/net@medium", seen: "3" },
  { item: "call/offer/capability@ver", seen: "1, with a 7-byte body (01 05 f7 09 e4 fa 13 in 2026)" },
  { item: "call/offer/destination", seen: "`to jid` > `enc v type`" },
  { item: "call/offer/destination/to@jid", seen: LID_SINCE_2025 },
  { item: "call/offer/destination/to/enc@v", seen: "2" },
  { item: "call/offer/destination/to/enc@type", seen: "pkmsg, msg" },
  { item: "call/offer/encopt@keygen", seen: "2" },
  { item: "call/offer/relay/token", seen: "under the offer's relay" },
  { item: "call/offer/relay/te2", seen: "6 bytes (IPv4 + port) or 18 bytes (IPv6 + port)" },
  { item: "call/offer/relay/te2@relay_id", seen: "on each te2" },
  { item: "call/offer_notice@call-id", seen: "sent to companion devices in a group call" },
  { item: "call/offer_notice@call-creator", seen: "with caller_pn" },
  { item: "call/offer_notice@media", seen: "audio" },
  { item: "call/offer_notice@type", seen: "group" },
  { item: "call/reject@count", seen: '"0"; SIG-08 allows only call-id and call-creator' },
  { item: "call/reject@reason", seen: '"unsupported-audio-caps" on an old reject' },
  {
    item: "call/terminate@call-creator",
    seen: "equal to the sender when the caller hangs up or gives up; one real terminate had none",
  },
  {
    item: "call/terminate@duration",
    seen: "20746 with audio_duration: most likely milliseconds, not the seconds SIG-14 states",
  },
  {
    item: "call/terminate@audio_duration",
    seen: "20746 with duration: most likely milliseconds, not the seconds SIG-14 states",
  },
  { item: "call/transport@call-creator", seen: "absent in older captures" },
  { item: "call/transport@transport-message-type", seen: "1 and 9" },
  { item: "call/transport@p2p-cand-round", seen: "beside transport-message-type" },
  { item: "call/transport/te@priority", seen: "1" },
  { item: "call/relaylatency@call-creator", seen: "absent in older captures" },
  { item: "call/relaylatency/te", seen: "body: a 6-byte address" },
  {
    item: "call/relaylatency/te@latency",
    seen: "a plain RTT in ms (590, 641, …) without the 0x02000000 offset in older captures",
  },
  { item: "ack@from", seen: "a server ack of an `<accept>` came from the caller's LID, not s.whatsapp.net" },
  { item: "ack@to", seen: "on this device's own ack (which has no `from`)" },
  { item: "ack@class", seen: "call" },
  { item: "ack@type", seen: "on this device's own ack" },
  { item: "ack@error", seen: "500, and 439 on an offer whose children are out of order" },
  { item: "ack/error", seen: "`<error call-creator call-id jid>`, not `<error code text>`" },
  { item: "enum:audio-codec=opus", seen: "offer audio" },
  { item: "enum:audio-rate=8000", seen: "offer audio" },
  { item: "enum:audio-rate=16000", seen: "offer audio" },
  { item: "enum:net-medium=3", seen: "offer net" },
  { item: "enum:keygen=2", seen: "offer encopt" },
  { item: "enum:enc-types=pkmsg", seen: "offer destination" },
  { item: "enum:enc-types=msg", seen: "offer destination" },
  { item: "enum:transport-message-type=1", seen: "transport" },
  { item: "enum:transport-message-type=9", seen: "transport" },
  { item: "enum:media-types=audio", seen: "offer_notice media" },
  { item: "enum:notice-type=group", seen: "offer_notice type" },
  { item: "enum:ack-class=call", seen: "call acks" },
  { item: "enum:ack-error=439", seen: "on an offer whose children are out of order" },
];

/** The spec an item string of {@link RealTrafficItem} names, or `undefined`. */
function realTrafficSpec(item: string): TagSpec | AttrSpec | EnumValue | undefined {
  const e = /^enum:([^=]+)=(.*)$/.exec(item);
  if (e) return ENUMS[e[1]]?.values.find((v) => v.value === e[2]);
  const [path, name] = item.split("@");
  const tags = path.split("/");
  return name === undefined ? lookupTag(tags) : lookupAttr(tags, name);
}

for (const { item, seen } of REAL_TRAFFIC_KNOWN) {
  const spec = realTrafficSpec(item);
  if (spec) Object.assign(spec, { observed: "real-traffic", seen });
}

/**
 * Every item marked as observed in real traffic (research real-captures.md), known before or
 * only from real traffic, with what was seen: vocabulary paths (`call/offer@caller_pn`) and
 * enum values (`enum:ack-error=500`).
 */
export const REAL_TRAFFIC: readonly RealTrafficItem[] = [
  ...walkVocabulary()
    .filter((e) => e.spec.observed)
    .map((e) => ({ item: e.path, seen: e.spec.seen ?? "" })),
  ...Object.values(ENUMS).flatMap((en) =>
    en.values
      .filter((v) => v.observed)
      .map((v) => ({ item: `enum:${en.name}=${v.value}`, seen: v.seen ?? "" })),
  ),
];

// ---------------------------------------------------------------------------------------------
// Differences from the stanza files

/** Where the vocabulary's confidence differs from a stanza file's, and why. */
export interface StanzaFileDifference {
  /** Stanza file name without extension, e.g. `call-offer`. */
  file: string;
  /** Vocabulary path of the tag, or `path@attribute`. */
  path: string;
  /** Confidence in the stanza file. */
  stanzaFile: Confidence;
  /** Confidence in this vocabulary. */
  vocabulary: Confidence;
  /** Parts that state the item as a MUST. */
  parts: string[];
  why: string;
}

/**
 * Every place where the vocabulary deliberately differs from a `spec/stanzas/call-*.yaml`
 * confidence: a signalling part in `review` status states the item as a MUST (or several
 * stanza files and parts agree while one file hedges).
 */
export const STANZA_FILE_DIFFERENCES: readonly StanzaFileDifference[] = [
  {
    file: "call-offer",
    path: "call@t",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-16"],
    why: "SIG-16 (review) makes `t` REQUIRED on every inbound `<call>` and rejects a call without a valid `t`",
  },
  {
    file: "call-offer",
    path: "call/offer/audio@enc",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-01", "SIG-16"],
    why: 'SIG-01 (review) fixes `<audio enc="opus">`; SIG-16 (review) rejects an offer whose audio lacks `enc`',
  },
  {
    file: "call-offer",
    path: "call/offer/audio@rate",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-01", "SIG-16"],
    why: "SIG-01 (review) fixes rates 8000 and 16000; SIG-16 (review) requires a numeric `rate` on every audio",
  },
  {
    file: "call-offer",
    path: "call/offer/net",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-01"],
    why: "SIG-01 (review) puts `net(medium)` in the mandatory offer child order",
  },
  {
    file: "call-offer",
    path: "call/offer/net@medium",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-01"],
    why: "SIG-01 (review) names the `medium` attribute in the mandatory order; SIG-03/05 fix its values",
  },
  {
    file: "call-transport",
    path: "call/transport",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-05", "SIG-07", "SIG-16"],
    why: "SIG-05 (review) specifies the `<transport>` action; SIG-07 and SIG-16 (review) list it as a recognised action",
  },
  {
    file: "call-relaylatency",
    path: "call/relaylatency",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-07", "SIG-16"],
    why: "SIG-07 and SIG-16 (review) list `relaylatency` as a recognised action tag",
  },
  {
    file: "call-relaylatency",
    path: "call@to",
    stanzaFile: SPECULATIVE,
    vocabulary: PROBABLE,
    parts: ["SIG-15", "SIG-03", "SIG-04", "SIG-08"],
    why:
      "the envelope is shared: the other eight stanza files have `to` probable and the review parts " +
      "SIG-03/04/08 require it; SIG-15 requires `to` = peer on relaylatency too",
  },
];

// ---------------------------------------------------------------------------------------------
// Lookups

/**
 * The tag spec at a path of tags from a root, e.g. `["call", "offer", "audio"]`.
 * @returns `undefined` when the vocabulary does not know the path.
 */
export function lookupTag(path: readonly string[]): TagSpec | undefined {
  if (path.length === 0) return undefined;
  let spec: TagSpec | undefined = (VOCABULARY as Record<string, TagSpec>)[path[0]];
  for (let i = 1; spec && i < path.length; i++) spec = spec.children.find((c) => c.tag === path[i]);
  return spec;
}

/** The attribute spec `name` of the tag at `path`, or `undefined`. */
export function lookupAttr(path: readonly string[], name: string): AttrSpec | undefined {
  return lookupTag(path)?.attrs.find((a) => a.name === name);
}

/** One entry of {@link walkVocabulary}: a tag or an attribute with its path. */
export type VocabularyEntry =
  | { kind: "tag"; path: string; spec: TagSpec }
  | { kind: "attribute"; path: string; spec: AttrSpec };

/** Every tag and attribute of the vocabulary, depth first, with its path (`call/offer`, `call/offer@call-id`). */
export function walkVocabulary(): VocabularyEntry[] {
  const out: VocabularyEntry[] = [];
  const visit = (spec: TagSpec, path: string) => {
    out.push({ kind: "tag", path, spec });
    for (const a of spec.attrs) out.push({ kind: "attribute", path: `${path}@${a.name}`, spec: a });
    for (const c of spec.children) visit(c, `${path}/${c.tag}`);
  };
  for (const root of Object.values(VOCABULARY)) visit(root, root.tag);
  return out;
}

/** The enum value a raw wire value spells, or `undefined`. */
export function enumValue(enumName: string, raw: string): EnumValue | undefined {
  return ENUMS[enumName]?.values.find((v) => v.spellings.includes(raw));
}

/**
 * The tag, or the attribute `name` of the tag, at an element path as {@link findUnknowns} and
 * the inspector write it (`call/offer/audio[1]`: sibling indexes are ignored).
 * @returns `undefined` when the vocabulary does not know it.
 */
export function lookupPath(elementPath: string, name?: string): TagSpec | AttrSpec | undefined {
  const tags = elementPath.split("/").map((t) => t.replace(/\[\d+\]$/, ""));
  return name === undefined ? lookupTag(tags) : lookupAttr(tags, name);
}

/** The one-line note of a real-traffic item: `seen in real traffic: … (research real-captures.md)`, or `""`. */
export function realTrafficNote(spec: { observed?: Observed; seen?: string } | undefined): string {
  if (!spec?.observed) return "";
  return `seen in real traffic${spec.seen ? `: ${spec.seen}` : ""} (${REAL_TRAFFIC_SOURCE})`;
}

/**
 * A tooltip for a vocabulary entry or enum value: meaning, confidence and parts, source, and
 * the real-traffic note when it has one. One line per fact, joined with `\n`.
 */
export function vocabularyTitle(spec: TagSpec | AttrSpec | EnumValue): string {
  const lines = [spec.meaning];
  const parts = spec.parts.length ? ` (${spec.parts.join(", ")})` : "";
  lines.push(`corpus confidence: ${spec.confidence}${parts}`);
  if ("source" in spec) lines.push(`source: ${spec.source}`);
  const note = realTrafficNote(spec);
  if (note) lines.push(note);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Unknown reporting

/**
 * Something observed that the vocabulary does not know. A research finding, not an error.
 * - `unknown-tag`: a child tag not known at that place (its subtree is not examined);
 * - `unknown-attribute`: an attribute not known on that tag;
 * - `unknown-value`: a known attribute whose value is outside its enum or does not fit its
 *   type (`note` says which).
 */
export interface UnknownFinding {
  kind: "unknown-tag" | "unknown-attribute" | "unknown-value";
  /** Path of the element, tags joined with `/`; repeated siblings get `[index]` (e.g. `call/offer/audio[1]`). */
  path: string;
  /** The unknown tag, or the attribute name. */
  name: string;
  /** The attribute value (attribute and value findings). */
  value?: string;
  /** For `unknown-tag`: the parent's tag; for attribute and value findings: the element's tag. */
  parent: string;
  /**
   * Why a value is unknown, e.g. `not in enum:net-medium`; for an attribute seen in real traffic
   * it ends with what was seen (`; seen in real traffic: 8000, 16000 (research real-captures.md)`).
   */
  note?: string;
  /** Set on a value finding whose attribute was seen in real traffic. */
  observed?: Observed;
}

function valueProblem(type: ValueType, value: string): string | undefined {
  switch (type) {
    case "string":
    case "presence":
      return undefined;
    case "uint":
    case "timestamp":
      return /^\d+$/.test(value) ? undefined : `not an unsigned decimal (${type})`;
    case "flag":
      return value === "0" || value === "1" ? undefined : "not a 0/1 flag";
    case "jid":
      return parseJid(value) ? undefined : "not a JID";
    default: {
      const name = type.slice("enum:".length);
      return enumValue(name, value) ? undefined : `not in enum:${name}`;
    }
  }
}

function visit(node: AnyNode, spec: TagSpec, path: string, out: UnknownFinding[]): void {
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    const a = spec.attrs.find((x) => x.name === name);
    if (!a) {
      out.push({ kind: "unknown-attribute", path, name, value, parent: node.tag });
      continue;
    }
    const problem = valueProblem(a.type, value);
    if (!problem) continue;
    if (a.observed) {
      const note = `${problem}; ${realTrafficNote(a)}`;
      out.push({ kind: "unknown-value", path, name, value, parent: node.tag, note, observed: a.observed });
    } else out.push({ kind: "unknown-value", path, name, value, parent: node.tag, note: problem });
  }
  const children = getChildren(node);
  const counts = new Map<string, number>();
  for (const c of children) counts.set(c.tag, (counts.get(c.tag) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const c of children) {
    const i = seen.get(c.tag) ?? 0;
    seen.set(c.tag, i + 1);
    const childPath = `${path}/${c.tag}${(counts.get(c.tag) ?? 0) > 1 ? `[${i}]` : ""}`;
    const cs = spec.children.find((x) => x.tag === c.tag);
    if (!cs) out.push({ kind: "unknown-tag", path: childPath, name: c.tag, parent: node.tag });
    else visit(c, cs, childPath, out);
  }
}

/**
 * Lists whatever `node` carries that the vocabulary does not know: unknown tags, unknown
 * attributes, and values outside an attribute's enum or type. Pure and cheap (one walk);
 * never throws. A root other than `call`, `ack` or `receipt` is one `unknown-tag` finding.
 * @param node a captured stanza (plain or portable node).
 * @returns findings in document order; empty when everything is known.
 */
export function findUnknowns(node: AnyNode): UnknownFinding[] {
  const out: UnknownFinding[] = [];
  const root = (VOCABULARY as Record<string, TagSpec>)[node.tag];
  if (!root) return [{ kind: "unknown-tag", path: node.tag, name: node.tag, parent: "" }];
  visit(node, root, node.tag, out);
  return out;
}
