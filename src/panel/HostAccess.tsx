/**
 * The health bar's notice while the extension's access to web.whatsapp.com is revoked
 * (`health.hostAccess`, from the background's host-access watch): why the panel sees nothing,
 * and how to grant access again.
 */
import { HOST_ACCESS_REVOKED } from "../shared/view/health";

/** The notice (render it only when `health.hostAccess === "revoked"`). */
export function HostAccessNotice() {
  return (
    <span class="error" role="alert" data-testid="host-access">
      ⚠ {HOST_ACCESS_REVOKED.why} {HOST_ACCESS_REVOKED.how}
    </span>
  );
}
