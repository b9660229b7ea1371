/**
 * The page tap: a MAIN-world content script that runs at `document_start`, before any
 * of WhatsApp Web's scripts. It hooks the module runtime, finds the comms modules by
 * export shape, and forwards call-related stanzas to the isolated relay. Only call
 * stanzas leave this context; every other stanza is counted by tag.
 * Modelled on React DevTools' page hook (facebook/react
 * packages/react-devtools-extensions/src/contentScripts/installHook.js).
 */
import { CallIdMemory } from "../shared/stanza/filter";
import { emptyHealth } from "../shared/trace/types";
import { Capture } from "./capture";
import { CommsTap } from "./commsTap";
import { Emitter } from "./emit";
import { scanRegistry, trapAfterModuleFactory } from "./moduleHook";

const INSTALLED = Symbol.for("wa-call-inspector.tap");
type TapWindow = Window & { [INSTALLED]?: boolean; Debug?: { VERSION?: unknown } };

/** Poll cadence for the registry scan and late comms patching, ms. */
const POLL_MS = 250;
/** How long the poll runs at that cadence before slowing down, ms. */
const FAST_POLL_FOR_MS = 60_000;

function install(win: TapWindow): void {
  if (win[INSTALLED]) return;
  win[INSTALLED] = true;

  const emitter = new Emitter();
  const health = emptyHealth();
  health.commsMode = "unknown";
  const capture = new Capture(
    {
      stanza: (stanza) => emitter.send({ type: "stanza", stanza }),
      health: (h) => emitter.send({ type: "health", health: h }),
    },
    new CallIdMemory(),
    health,
  );
  emitter.send({ type: "hello", url: location.href, t: performance.timeOrigin + performance.now() });
  capture.setTap("comms-config", false, "waiting for WhatsApp's comms config module");

  const comms = new CommsTap({
    onStanza: (node, direction) => capture.onStanza(node, direction, "comms-config"),
    onError: (e) => capture.reportError(e),
    onFound: (what, detail) => {
      if (what === "comms-config" || what === "comms") {
        capture.setTap(
          "comms-config",
          true,
          `hooked ${what === "comms" ? "running comms handlers" : "getCommsConfig"}`,
        );
      } else if (what === "build" && detail) {
        health.build = detail;
      } else if (what === "gating" && (detail === "worker" || detail === "main-thread")) {
        health.commsMode = detail;
      }
      capture.scheduleHealth();
    },
  });

  const seen = new WeakSet<object>();
  const visit = (def: Parameters<CommsTap["visit"]>[0]) => {
    if (def && typeof def === "object") seen.add(def);
    comms.visit(def);
  };
  trapAfterModuleFactory(win, visit, (e) => capture.reportError(e));

  // Fallback poll: modules whose factories ran before the trap, and a running comms
  // singleton whose handlers were created before we wrapped getCommsConfig.
  const started = Date.now();
  const poll = () => {
    try {
      scanRegistry(win, seen, visit);
      comms.patchRunningComms();
      const version = win.Debug?.VERSION;
      if (typeof version === "string" && health.build !== version) {
        health.build = version;
        capture.scheduleHealth();
      }
    } catch (e) {
      capture.reportError(e);
    }
    setTimeout(poll, Date.now() - started < FAST_POLL_FOR_MS ? POLL_MS : POLL_MS * 8);
  };
  setTimeout(poll, 0);
}

try {
  install(window as TapWindow);
} catch {
  // The tap must never break the page.
}
