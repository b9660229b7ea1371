/** Panel entry: connects to the inspected tab's session and renders {@link App}. */
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { App } from "./App";
import { connectPanel, inspectedTabId, type PanelConnection } from "./connection";
import { applyMessage, initialState } from "./state";

function Root({ tabId }: { tabId: number }) {
  const [state, setState] = useState(initialState);
  const conn = useRef<PanelConnection | undefined>(undefined);
  useEffect(() => {
    conn.current = connectPanel(tabId, (m) => setState((s) => applyMessage(s, m)));
    return () => conn.current?.close();
  }, [tabId]);
  return <App state={state} onClear={() => conn.current?.send({ type: "clear" })} />;
}

const tabId = inspectedTabId();
const root = document.getElementById("app");
if (root) {
  if (tabId === undefined)
    render(<p class="empty">No inspected tab: open this panel from DevTools.</p>, root);
  else render(<Root tabId={tabId} />, root);
}
if (globalThis.chrome?.devtools?.panels?.themeName === "dark") document.documentElement.classList.add("dark");
