/**
 * What the compatibility check loads from WhatsApp's module dump, what it stubs, what it bridges
 * and what it leaves to the simulator, and why. The choices come from reading the modules of
 * build 2.3000.1044822804 (../shared/research/wa-web-2026.md); the check prints them with every
 * report, so a new build that needs another cut shows up as a missing module or a conflict.
 */
import { type Closure, type Cut, type ModuleDump, moduleClosure } from "./dump";

/** The stanza-path modules the issue names (#10 item 3): WhatsApp's codec, dictionary, JIDs, comms and transport. */
export const REQUIRED_ROOTS = [
  "WAWap",
  "WABinary",
  "WAWapDict",
  "WAWapJid",
  "WAComms",
  "WAFrameSocket",
  "WANoiseSocket",
] as const;

/**
 * Further roots: the rest of WhatsApp's own chat-socket path, so that the socket, the Noise
 * handshake and its WebCrypto calls are WhatsApp's too (the bridge `WAWebOpenChatSocket` drives them).
 */
export const TRANSPORT_ROOTS = [
  "WANoiseHandshake",
  "WAOpenChatSocket",
  "WAWebOpenSocket",
  "WAWebWatchedSocket",
  "WACryptoCurve25519",
  "WAResultOrError",
] as const;

/** Why a name is one of our environment stubs. */
export interface StubInfo {
  kind:
    | "logger"
    | "error reporting"
    | "library not in the dump"
    | "utility not in the dump"
    | "build resolution";
  why: string;
}

/**
 * Our environment stubs (scripts/wa-build/page/env.js), by module name. Only environment: what
 * WhatsApp's page provides around the stanza path (logging, error reporting, build-time resolutions)
 * or what the dump does not hold.
 */
export const ENV_STUBS: Readonly<Record<string, StubInfo>> = {
  WALogger: {
    kind: "logger",
    why: "WhatsApp's log facade; the stub's levels (LOG, WARN, ERROR, …) chain and log nothing",
  },
  WATagsLogger: {
    kind: "logger",
    why: "the tagged logger behind WALogger and WANoiseHandshake; its sink is set by WhatsApp's boot, which the check does not run",
  },
  "fb-error": {
    kind: "error reporting",
    why: "Meta's error reporting (ErrorPubSub, ErrorPoster, TAAL); the stub gives err, getErrorSafe, a silent FBLogger and an empty TAALOpcode only",
  },
  "tweetnacl-1.0.3": {
    kind: "library not in the dump",
    why: "the tweetnacl library is not a module of the dump; nothing on the stanza path calls it, so its functions throw",
  },
  "cr:8712": {
    kind: "build resolution",
    why: "resolves to tweetnacl for WACryptoPrimitives (signatures, not the stanza path); the same throwing stub",
  },
  removeFromArray: {
    kind: "utility not in the dump",
    why: "an array helper of fb-error that the dump does not hold (only reached through fb-error)",
  },
};

/** A build resolution (`cr:NNNN`) that the check resolves to null: the requiring module's native fallback is used. */
export const BUILD_RESOLUTION: StubInfo = {
  kind: "build resolution",
  why: "a `cr:` name the page's HTML resolves per build; null here, so the requiring module uses its native fallback (e.g. Promise → the browser's)",
};

/** Why a bridge replaces a simulator module (scripts/wa-build/page/bridges.js). */
export interface BridgeInfo {
  why: string;
  /** Simulator look-alikes the bridge calls (they must not be displaced by dump modules). */
  uses: readonly string[];
  /** Dump modules the bridge drives (added as roots). */
  drives: readonly string[];
}

/** Our bridges between WhatsApp's modules and the simulator's look-alike app layer. */
export const BRIDGES: Readonly<Record<string, BridgeInfo>> = {
  WAWebOpenChatSocket: {
    why:
      "WhatsApp's real one checks WhatsApp's certificate chain and sends a protobuf ClientPayload, which the " +
      "simulator's server does not speak; the bridge runs WhatsApp's generic Noise XX handshake (WAOpenChatSocket) " +
      "with the simulator's HandshakeMessage encoding, JSON certificate and ClientPayload, and resolves to a " +
      "result-or-error as WAComms expects (the simulator's look-alike resolves to the bare socket)",
    uses: ["WAHandshakeProto", "WAWebClientPayload", "WAWebRoutingInfo"],
    drives: [
      "WAComms",
      "WAOpenChatSocket",
      "WAWebOpenSocket",
      "WAResultOrError",
      "WACryptoCurve25519",
      "WAWapDict",
    ],
  },
  WADeprecatedSendIq: {
    why:
      "the simulator's look-alike calls comms.deprecatedSendStanzaAndReturnAck, which WhatsApp's Comms does not " +
      "have; the bridge waits for the ack through Comms' addAckHandler/callStanza, matching with the simulator's " +
      "WAAckParser (WhatsApp's WAAckParser has another API, which the simulator's VoIP layer does not call)",
    uses: ["WAAckParser"],
    drives: ["WAComms"],
  },
  WAWebCommsConfigBase: {
    why:
      "the simulator's look-alike gives socketReconnectBackoffAlgo and shouldCloseStaleSocket as functions, where " +
      "WhatsApp's WAComms reads a backoff descriptor object and a boolean; the bridge's configs have the simulator's " +
      "values in WhatsApp's types (and no stanza handlers with names=renamed), and report states and stanzas to the " +
      "simulator's bus as its own WAComms does (for __sim.state and __sim.log)",
    uses: ["WASimConfig", "WASimBus"],
    drives: ["WAComms"],
  },
};

/** Simulator look-alikes kept in place: the bridges use them, so no dump module may displace them. */
export const KEEP_SIMULATOR: readonly string[] = [...new Set(Object.values(BRIDGES).flatMap((b) => b.uses))];

/**
 * How the closure treats `name`: one of our stubs (also every `cr:` build resolution), a bridge
 * (ours replaces the simulator's), or a simulator look-alike kept in place.
 */
export function cutFor(name: string): Cut | undefined {
  if (name in ENV_STUBS || name.startsWith("cr:")) return "stub";
  if (name in BRIDGES || KEEP_SIMULATOR.includes(name)) return "simulator";
  return undefined;
}

/** Why `name` is stubbed, or `undefined` when it is not one of our stubs. */
export function stubInfo(name: string): StubInfo | undefined {
  return ENV_STUBS[name] ?? (name.startsWith("cr:") ? BUILD_RESOLUTION : undefined);
}

/** The modules to load for given roots, with the bridges' dump modules added. */
export interface LoadPlan extends Closure {
  roots: string[];
  /** Bridges installed: those whose driven modules all come from the dump. */
  bridges: string[];
  /** Roots the dump does not hold: the simulator's look-alike (if any) stays. */
  absentRoots: string[];
  /** Names neither in the dump nor the simulator's: loaded as empty placeholders. */
  placeholders: string[];
  /** Real modules that depend on a simulator look-alike or a bridge name: they would get the look-alike's API. */
  conflicts: Array<{ module: string; needs: string }>;
}

/**
 * Plans the modules to load from `dump`: the closure of the required, transport and extra roots
 * plus what the bridges drive.
 * @param simulatorNames module names the simulator defines: a missing dependency of that name stays
 *   the simulator's instead of getting a placeholder (which would displace it).
 */
export function planLoad(
  dump: Pick<ModuleDump, "deps">,
  simulatorNames: ReadonlySet<string> = new Set(),
  extraRoots: readonly string[] = [],
): LoadPlan {
  const roots = [
    ...new Set([
      ...REQUIRED_ROOTS,
      ...TRANSPORT_ROOTS,
      ...Object.values(BRIDGES).flatMap((b) => b.drives),
      ...extraRoots,
    ]),
  ];
  const closure = moduleClosure(roots, (n) => dump.deps(n), cutFor);
  const absentRoots = closure.missing.filter((n) => roots.includes(n));
  const keptMissing = closure.missing.filter((n) => !roots.includes(n) && simulatorNames.has(n));
  const placeholders = closure.missing.filter((n) => !roots.includes(n) && !simulatorNames.has(n));
  const conflicts: LoadPlan["conflicts"] = [];
  for (const module of closure.real) {
    for (const d of dump.deps(module) ?? []) {
      if (closure.simulator.includes(d) || keptMissing.includes(d)) conflicts.push({ module, needs: d });
    }
  }
  const bridges = Object.entries(BRIDGES)
    .filter(([, b]) => b.drives.every((d) => closure.real.includes(d)))
    .map(([name]) => name);
  return {
    ...closure,
    simulator: [...closure.simulator, ...keptMissing],
    roots,
    bridges,
    absentRoots,
    placeholders,
    conflicts,
  };
}
