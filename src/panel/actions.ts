/** What the panel asks of the background (implemented over the panel's port in main.tsx). */
import type { CapturedStanza, CaptureHealth } from "../shared/trace/types";
import type { DeepCaptureActions } from "./DeepCapture";

/** What the panel asks of the background. */
export interface PanelActions extends DeepCaptureActions {
  clear(): void;
  setPreserveLog(preserve: boolean): void;
  setCap(cap: number): void;
  /** Shows a saved trace instead of the live tab. */
  openTrace(trace: { stanzas: CapturedStanza[]; health?: CaptureHealth }, name: string): void;
  /** Returns from a saved trace to the live tab. */
  backToLive(): void;
}
