/**
 * The panel's words for the capture's health: why no call is shown yet. The stanza count it
 * quotes is the health bar's too, {@link totalSeen}: one count of stanzas seen.
 */
import { totalSeen } from "../capture/health";
import type { CaptureHealth } from "../trace/types";

/**
 * Why the panel sees nothing while the extension's access to web.whatsapp.com is revoked
 * (`health.hostAccess`, set by the background), and how to grant it again in each browser.
 */
export const HOST_ACCESS_REVOKED = {
  why: "The extension has no access to web.whatsapp.com (it was revoked), so the tap cannot run there and nothing is captured.",
  how: 'To grant it again: in Firefox, click the Extensions button (the puzzle piece) in the toolbar and choose "Always allow on web.whatsapp.com" for WA Call Inspector, or open about:addons → WA Call Inspector → Permissions and switch on web.whatsapp.com; in Chrome or Edge, open the extension\'s details and set Site access to web.whatsapp.com. Then reload the page.',
} as const;

/** What {@link emptyReason} reads of the panel's state (a panel snapshot has all of it). */
export interface EmptyState {
  /** Whether the background has sent the session yet. */
  connected: boolean;
  health: CaptureHealth;
  /** The session's rows (only their number is read). */
  index: { rows: { length: number } };
  /** Why the session was last emptied: a page reload or the user's Clear. */
  lastClear?: "reload" | "user";
}

/** Why the panel shows no call, in one or two sentences: from the tap's own diagnosis when it has one. */
export function emptyReason(s: EmptyState): string {
  const h = s.health;
  if (!s.connected) return "Connecting to the extension's background…";
  if (h.hostAccess === "revoked") return HOST_ACCESS_REVOKED.why; // the health bar says how to grant it
  const rows = s.index.rows.length;
  if (rows > 0)
    return `${rows} stanzas captured, none belongs to a call yet (acks or receipts whose call was not seen). Switch on "All captured" to see them.`;
  const seen = totalSeen(h);
  if (s.lastClear === "user" && h.forwarded > 0)
    return `Cleared. The tap is live (${seen} stanzas seen since the page loaded, ${h.forwarded} forwarded); new call stanzas will appear here.`;
  if (h.emptyReason?.message) {
    const why = h.emptyReason.message;
    return s.lastClear === "reload" && seen === 0 ? `Page reloaded, log cleared. ${why}` : why;
  }
  const tap = h.taps.find((t) => t.name === "comms-config") ?? h.taps[0];
  if (!tap)
    return "No tap has reported from this tab yet. Is this web.whatsapp.com? Reload the page to install the tap.";
  if (!tap.installed) return `Tap not installed: ${tap.note ?? "no comms module found"}.`;
  if (h.commsMode === "worker") return "Comms run in a worker: the page tap cannot see stanzas in this mode.";
  if (seen === 0) return "Tap installed; no stanza seen yet. Make or receive a call.";
  return `${seen} stanzas seen, none were call stanzas. Make or receive a call.`;
}
