/** Shared fixtures of the panel tests. */
import type { PanelActions } from "../../src/panel/App";

/** Panel actions that do nothing (the tests drive the store directly). */
export const noopActions: PanelActions = {
  clear() {},
  setPreserveLog() {},
  setCap() {},
  openTrace() {},
  backToLive() {},
  enableDeepCapture: async () => false,
  disableDeepCapture() {},
  reloadPage() {},
};
