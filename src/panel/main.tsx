/** Panel entry: connects to the inspected tab's session and renders {@link App}. */
import { render } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { emptyHealth } from "../shared/trace/types";
import { App, type PanelActions } from "./App";
import { connectPanel, inspectedTabId, type PanelConnection } from "./connection";
import { PanelStore } from "./state";
import { applyTheme, initialTheme, onThemeChange } from "./theme";

function Root({ tabId }: { tabId: number }) {
  const store = useMemo(() => new PanelStore(), []);
  const [theme, setTheme] = useState(initialTheme);
  const conn = useRef<PanelConnection | undefined>(undefined);
  // What the panel shows: the live tab, or a saved trace (`viewing`, its file name). A new
  // object per open or "Back to live", so that going back to live always reconnects.
  const [source, setSource] = useState<{ viewing?: string }>({});
  useEffect(() => {
    if (source.viewing !== undefined) return;
    conn.current = connectPanel(
      tabId,
      (m) => store.receive(m),
      () => store.disconnected(),
    );
    store.onNeedMore = () => conn.current?.send({ type: "backlog-next" });
    // For the end-to-end tests and bench/panel.ts.
    (globalThis as { __waCallsPanel?: PanelStore }).__waCallsPanel = store;
    return () => conn.current?.close();
  }, [tabId, store, source]);
  useEffect(() => {
    applyTheme(theme);
  }, [theme]);
  useEffect(() => onThemeChange(setTheme), []);
  const actions: PanelActions = useMemo(
    () => ({
      clear: () => conn.current?.send({ type: "clear" }),
      setPreserveLog: (preserveLog) => conn.current?.send({ type: "set-preserve-log", preserveLog }),
      setCap: (cap) => conn.current?.send({ type: "set-cap", cap }),
      enableDeepCapture: () =>
        // Called inside the click: Chrome shows its permission prompt only during a user gesture.
        chrome.permissions.request({ permissions: ["debugger"] }).then((granted) => {
          if (granted) conn.current?.send({ type: "set-deep-capture", enabled: true });
          return granted;
        }),
      disableDeepCapture: () => conn.current?.send({ type: "set-deep-capture", enabled: false }),
      reloadPage: () => conn.current?.send({ type: "reload-page" }),
      openTrace: (trace, name) => {
        // A saved trace replaces the live view until "Back to live" (which reconnects and
        // gets the tab's backlog again).
        conn.current?.close();
        conn.current = undefined;
        store.receive({
          type: "backlog",
          tabId,
          stanzas: trace.stanzas,
          health: trace.health ?? emptyHealth(),
        });
        setSource({ viewing: name });
      },
      backToLive: () => setSource({}),
    }),
    [tabId, store],
  );
  return <App store={store} actions={actions} theme={theme} viewing={source.viewing} />;
}

applyTheme(initialTheme());
const tabId = inspectedTabId();
const root = document.getElementById("app");
if (root) {
  if (tabId === undefined)
    render(<p class="empty">No inspected tab: open this panel from DevTools.</p>, root);
  else render(<Root tabId={tabId} />, root);
}
