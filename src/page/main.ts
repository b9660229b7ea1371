/**
 * The page tap: a MAIN-world content script that runs at `document_start`, before any of
 * WhatsApp Web's scripts. It installs the tap core (module taps, transport tap, dedupe; see
 * `core.ts`) on `window` and forwards call-related stanzas to the isolated relay through a
 * DOM event. Only call stanzas leave this context; every other stanza is counted by tag.
 * Modelled on React DevTools' page hook (facebook/react
 * packages/react-devtools-extensions/src/contentScripts/installHook.js).
 */
import { installTapCore, type TapScope } from "../tap/core";
import { documentDeliver } from "../tap/emit";

const INSTALLED = Symbol.for("wa-call-inspector.tap");

function install(win: Window & TapScope & { [INSTALLED]?: boolean }): void {
  if (win[INSTALLED]) return;
  win[INSTALLED] = true;
  installTapCore(win, {
    deliver: documentDeliver(document),
    first: [{ type: "hello", url: location.href, t: performance.timeOrigin + performance.now() }],
  });
}

try {
  install(window as Window & TapScope);
} catch {
  // The tap must never break the page.
}
