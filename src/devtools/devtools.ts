/**
 * The DevTools page: adds the "WA Calls" panel. The panel path must equal the panel
 * HTML's output path in `dist/` (see vite.config.ts).
 */
chrome.devtools.panels.create("WA Calls", "", "src/panel/panel.html");
