/**
 * The health bar under the filter bar: WhatsApp Web's build, each tap's state, the counts
 * (seen, forwarded, kept in page, captured), what the capture mode cannot see, deep capture,
 * and tap errors.
 */
import { totalSeen } from "../shared/capture/health";
import type { TapHealth } from "../shared/trace/types";
import { type DeepCaptureActions, DeepCaptureControl, showDeepCapture } from "./DeepCapture";
import { hintText } from "./format";
import { HostAccessNotice } from "./HostAccess";
import type { PanelSnapshot } from "./state";

function tapState(t: TapHealth): string {
  return `${t.name}: ${t.disabled ? "disabled" : t.installed ? (t.live ? "live" : "installed") : "not installed"}`;
}

/** The health bar of the session `s`. */
export function HealthBar({ s, actions }: { s: PanelSnapshot; actions: DeepCaptureActions }) {
  const health = s.health;
  return (
    <div class="health" data-testid="health">
      {health.hostAccess === "revoked" && <HostAccessNotice />}
      <span>{health.build ? `WhatsApp Web ${health.build}` : "WhatsApp Web build unknown"}</span>
      <span>{health.taps.map(tapState).join(" · ") || "no tap"}</span>
      <span data-testid="health-counts">
        seen {totalSeen(health)} · forwarded {health.forwarded} · kept in page {health.filtered} · captured{" "}
        {s.index.rows.length}
      </span>
      {health.limitations?.map((l) => (
        <span key={`${l.code}:${l.message}`} class="warn" title={l.code}>
          ⚠ {hintText(l.message)}
        </span>
      ))}
      {showDeepCapture(health) && <DeepCaptureControl health={health} actions={actions} />}
      {health.errors > 0 && (
        <span class="error">
          {health.errors} errors{health.lastError ? `: ${health.lastError.message}` : ""}
        </span>
      )}
    </div>
  );
}
