/**
 * The Firefox build's manifest (`vite build --mode firefox`, written to `dist-firefox/`): the
 * Chrome manifest, changed only where Firefox needs it. Pure, so that a unit test can check it.
 */

/** The add-on id on addons.mozilla.org; stable, because Firefox keys storage and updates on it. */
export const GECKO_ID = "wa-call-inspector@wa-call-inspector";

/** The oldest Firefox the build supports: the first with `data_collection_permissions` (140 ESR). */
export const GECKO_MIN_VERSION = "140.0";

/** The manifest fields this transform reads or writes (the rest passes through unchanged). */
export interface ManifestLike {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  optional_permissions?: string[];
  minimum_chrome_version?: string;
  browser_specific_settings?: unknown;
  [field: string]: unknown;
}

/**
 * The Firefox manifest of `chrome`, a copy (`chrome` is not changed):
 * - `background.scripts: [<service worker>]` in place of `background.service_worker` (Firefox
 *   runs MV3 backgrounds as event pages; "background.service_worker is currently disabled");
 * - `browser_specific_settings.gecko`: {@link GECKO_ID}, `strict_min_version`
 *   {@link GECKO_MIN_VERSION}, and `data_collection_permissions: {required: ["none"]}` (nothing
 *   leaves the browser);
 * - no `debugger` in `optional_permissions` (Firefox has no debugger API; the field goes when it
 *   is left empty) and no `minimum_chrome_version`.
 */
export function firefoxManifest<M extends ManifestLike>(chrome: M): ManifestLike {
  const { minimum_chrome_version: _chromeOnly, optional_permissions, background, ...rest } = chrome;
  const out: ManifestLike = { ...rest };
  if (background) {
    const { service_worker, ...other } = background;
    out.background = { ...other, scripts: service_worker ? [service_worker] : (background.scripts ?? []) };
  }
  const optional = (optional_permissions ?? []).filter((p) => p !== "debugger");
  if (optional.length > 0) out.optional_permissions = optional;
  out.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: GECKO_MIN_VERSION,
      data_collection_permissions: { required: ["none"] },
    },
  };
  return out;
}
