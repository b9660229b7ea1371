/**
 * The deep-capture control of the health bar: explains the opt-in, asks for the optional
 * `debugger` permission inside the click (Chrome and Edge require a user gesture), and shows
 * what deep capture is doing: its state, the workers it tapped (at their start or late), and how
 * many stanzas the page and the worker both saw. The Firefox build has no deep capture (no
 * debugger API, and no `chrome.permissions` in DevTools panels): there it says so instead.
 */
import { useState } from "preact/hooks";
import { totalSeen } from "../shared/capture/health";
import type { CaptureHealth, WorkerCaptureHealth } from "../shared/trace/types";
import { keyed } from "../shared/view/keys";

/** What the control asks of the panel's edge (main.tsx). */
export interface DeepCaptureActions {
  /**
   * Asks for the `debugger` permission (must be called synchronously in a click handler) and,
   * once granted, switches deep capture on. Resolves to `false` when the user refused.
   */
  enableDeepCapture(): Promise<boolean>;
  disableDeepCapture(): void;
  /** Reloads the inspected page. */
  reloadPage(): void;
}

/** Whether the control is worth showing: comms may be in a worker, or deep capture was used. */
export function showDeepCapture(h: CaptureHealth): boolean {
  if (h.deepCapture && h.deepCapture.state !== "off") return true;
  if (h.commsMode === "worker") return true;
  return h.emptyReason?.code === "no-tap" || h.emptyReason?.code === "worker-comms";
}

const EXPLANATION =
  "Deep capture installs the same taps inside WhatsApp's comms worker, where the socket, the Noise keys and the acks are. " +
  'It uses the debugger API of Chrome or Edge: the browser asks once for the "debugger" permission and shows a "started debugging this browser" bar while deep capture is on (Cancel there switches it off). ' +
  "Only call stanzas leave the worker, nothing is sent anywhere, and workers of other sites are never touched. " +
  "Reload the page afterwards so that the taps are in the worker from its start.";

function workerText(w: WorkerCaptureHealth): string {
  const h = w.health;
  const state = w.error
    ? `not tapped: ${w.error}`
    : w.ended
      ? "ended"
      : `${w.installed === "start" ? "tapped from its start" : "tapped late"}${
          h ? ` · seen ${totalSeen(h)} · forwarded ${h.forwarded}` : ""
        }`;
  return `${w.name}: ${state}`;
}

/** What the Firefox build says in place of the control. */
export const DEEP_CAPTURE_UNAVAILABLE =
  "Deep capture needs Chrome's or Edge's debugger API, which Firefox does not have: this build captures with the page's taps only, so stanzas that stay in WhatsApp's comms worker (its acks among them) are not seen. Use Chrome or Edge for deep capture.";

/** The Firefox build's stand-in for the control: why deep capture is not there. */
export function DeepCaptureUnavailable() {
  return (
    <span class="deep-capture" data-testid="deep-capture" data-state="unavailable">
      <span>
        Deep capture: <strong>unavailable</strong>
      </span>
      <span class="muted" data-testid="deep-capture-unavailable">
        {DEEP_CAPTURE_UNAVAILABLE}
      </span>
    </span>
  );
}

/**
 * The control: the switch in the Chrome and Edge build, {@link DeepCaptureUnavailable} in the
 * Firefox build (`import.meta.env.MODE`, folded at build time).
 */
export function DeepCaptureControl(props: { health: CaptureHealth; actions: DeepCaptureActions }) {
  return import.meta.env.MODE === "firefox" ? <DeepCaptureUnavailable /> : <DeepCaptureSwitch {...props} />;
}

function DeepCaptureSwitch({ health, actions }: { health: CaptureHealth; actions: DeepCaptureActions }) {
  const [asking, setAsking] = useState(false);
  const [refused, setRefused] = useState(false);
  const deep = health.deepCapture;
  const state = deep?.state ?? "off";
  const enable = () => {
    setRefused(false);
    // permissions.request runs synchronously inside this click (a user gesture).
    actions.enableDeepCapture().then(
      (granted) => {
        setAsking(false);
        setRefused(!granted);
      },
      () => setRefused(true),
    );
  };
  return (
    <span class="deep-capture" data-testid="deep-capture" data-state={state}>
      <span>
        Deep capture: <strong>{state}</strong>
        {deep?.note ? <span class="muted"> ({deep.note})</span> : null}
      </span>
      {keyed(deep?.workers ?? [], (w) => `${w.name}|${w.path}|${w.t}`).map(({ key, item: w }) => (
        <span key={key} class={w.error ? "error" : "muted"} data-testid="deep-capture-worker">
          {workerText(w)}
        </span>
      ))}
      {deep?.merged ? (
        <span class="muted">{deep.merged} seen on both page and worker, stored once</span>
      ) : null}
      {state === "on" || state === "attaching" ? (
        <>
          <button type="button" data-testid="deep-capture-reload" onClick={() => actions.reloadPage()}>
            Reload page
          </button>
          <button type="button" data-testid="deep-capture-off" onClick={() => actions.disableDeepCapture()}>
            Turn off
          </button>
        </>
      ) : asking ? (
        <span class="deep-capture-ask" role="dialog" aria-label="Enable deep capture">
          <span>{EXPLANATION}</span>
          <button type="button" data-testid="deep-capture-allow" onClick={enable}>
            Allow and enable
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" data-testid="deep-capture-enable" onClick={() => setAsking(true)}>
          {state === "error" ? "Try deep capture again…" : "Enable deep capture…"}
        </button>
      )}
      {refused && (
        <span class="error">The "debugger" permission was not granted; deep capture stays off.</span>
      )}
    </span>
  );
}
