/** The panel store's current snapshot, re-read on every store notification. */
import { useEffect, useState } from "preact/hooks";
import type { PanelSnapshot, PanelStore } from "../state";

/** The store's snapshot; the component re-renders when the store tells of a change. */
export function useSnapshot(store: PanelStore): PanelSnapshot {
  const [snap, setSnap] = useState(() => store.snapshot());
  useEffect(() => {
    setSnap(store.snapshot());
    return store.subscribe(() => setSnap(store.snapshot()));
  }, [store]);
  return snap;
}
