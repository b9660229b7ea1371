/**
 * Follows the DevTools theme: `chrome.devtools.panels.themeName` at start, then
 * `setThemeChangeHandler` (Chromium) or `onThemeChanged` (Firefox). A `?theme=dark|light`
 * query parameter wins (the panel opened as a tab, for tests and screenshots).
 */

interface PanelsWithTheme {
  themeName?: string;
  setThemeChangeHandler?: (cb?: (theme: string) => void) => void;
  onThemeChanged?: { addListener(cb: (theme: string) => void): void };
}

function panels(): PanelsWithTheme | undefined {
  return (globalThis as { chrome?: { devtools?: { panels?: PanelsWithTheme } } }).chrome?.devtools?.panels;
}

/** `dark` or `default`, from the query, else DevTools, else the OS preference. */
export function initialTheme(): string {
  const q = new URLSearchParams(location.search).get("theme");
  if (q === "dark" || q === "light" || q === "default") return q === "dark" ? "dark" : "default";
  const name = panels()?.themeName;
  if (name) return name === "dark" ? "dark" : "default";
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "default";
}

/** Applies a theme to the document (`:root.dark`, `data-theme`). */
export function applyTheme(theme: string): void {
  const dark = theme === "dark";
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

/** Calls `cb` when the DevTools theme changes (not when a `?theme=` query fixed it). */
export function onThemeChange(cb: (theme: string) => void): void {
  if (new URLSearchParams(location.search).has("theme")) return;
  const p = panels();
  if (p?.setThemeChangeHandler) p.setThemeChangeHandler((t) => cb(t === "dark" ? "dark" : "default"));
  else p?.onThemeChanged?.addListener((t) => cb(t === "dark" ? "dark" : "default"));
}
