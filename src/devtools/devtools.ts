/**
 * The DevTools page: adds the "WA Calls" panel. The paths are absolute from the extension's
 * root: Firefox resolves them relative to this page (a relative path gives a blank panel),
 * Chromium accepts both. The panel path must equal the panel HTML's output path, and the icon
 * the one build/icons.ts emits (vite.config.ts).
 */
chrome.devtools.panels.create("WA Calls", "/icons/panel-32.png", "/src/panel/panel.html");
