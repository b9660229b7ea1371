/**
 * Host access to web.whatsapp.com: without it the tap and the relay are not injected and the
 * panel sees nothing. Firefox lets the user revoke it (Extensions button or about:addons →
 * Permissions); Chrome and Edge let them restrict site access too. The background watches it
 * (`permissions.contains` at start, then `permissions.onAdded`/`onRemoved`) and ports.ts tells
 * the panels. No browser globals: the permissions API is injected.
 */

/** The match pattern of the content scripts (manifest.json), whose host access is checked. */
export const WA_MATCH = "https://web.whatsapp.com/*";

/** Whether the extension may run on web.whatsapp.com. */
export type HostAccessState = "granted" | "revoked";

/** The part of `browser.permissions` the watcher uses. */
export interface PermissionsApi {
  contains(permissions: { origins?: string[] }): Promise<boolean>;
  onAdded: { addListener(listener: (p: { origins?: string[] }) => void): void };
  onRemoved: { addListener(listener: (p: { origins?: string[] }) => void): void };
}

/**
 * Watches host access to {@link WA_MATCH}: calls `onChange` with the state at start and after
 * every permission change that touches an origin. A browser without the API, or a check that
 * throws, counts as `granted` (Chromium grants content-script hosts at install, and the panel
 * must not blame a permission it cannot see).
 */
export function watchHostAccess(
  permissions: PermissionsApi | undefined,
  onChange: (state: HostAccessState) => void,
): void {
  if (!permissions) {
    onChange("granted");
    return;
  }
  const check = () => {
    permissions.contains({ origins: [WA_MATCH] }).then(
      (has) => onChange(has ? "granted" : "revoked"),
      () => onChange("granted"),
    );
  };
  const changed = (p: { origins?: string[] }) => {
    if ((p.origins?.length ?? 0) > 0) check();
  };
  permissions.onAdded.addListener(changed);
  permissions.onRemoved.addListener(changed);
  check();
}
