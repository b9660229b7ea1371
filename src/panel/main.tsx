/** Panel entry: connects to the inspected tab's session and renders {@link App}. */
import { render } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { App, type PanelActions } from "./App";
import { connectPanel, inspectedTabId, type PanelConnection } from "./connection";
import { PanelStore } from "./state";
import { applyTheme, initialTheme, onThemeChange } from "./theme";

function Root({ tabId }: { tabId: number }) {
  const store = useMemo(() => new PanelStore(), []);
  const [theme, setTheme] = useState(initialTheme);
  const conn = useRef<PanelConnection | undefined>(undefined);
  useEffect(() => {
    conn.current = connectPanel(
      tabId,
      (m) => store.receive(m),
      () => store.disconnected(),
    );
    store.onNeedMore = () => conn.current?.send({ type: "backlog-next" });
    // For the end-to-end tests and bench/panel.ts.
    (globalThis as { __waCallsPanel?: PanelStore }).__waCallsPanel = store;
    return () => conn.current?.close();
  }, [tabId, store]);
  useEffect(() => {
    applyTheme(theme);
  }, [theme]);
  useEffect(() => onThemeChange(setTheme), []);
  const actions: PanelActions = useMemo(
    () => ({
      clear: () => conn.current?.send({ type: "clear" }),
      setPreserveLog: (preserveLog) => conn.current?.send({ type: "set-preserve-log", preserveLog }),
      setCap: (cap) => conn.current?.send({ type: "set-cap", cap }),
    }),
    [],
  );
  return <App store={store} actions={actions} theme={theme} />;
}

applyTheme(initialTheme());
const tabId = inspectedTabId();
const root = document.getElementById("app");
if (root) {
  if (tabId === undefined)
    render(<p class="empty">No inspected tab: open this panel from DevTools.</p>, root);
  else render(<Root tabId={tabId} />, root);
}
