/** The panel's global keys: "/" or Ctrl/⌘+F focus the filter, Esc (outside a field) closes the inspector. */
import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/**
 * Listens on the panel's document while the component is mounted.
 * @param filterInput the filter's text box.
 * @param closeInspector called on Esc outside a text field (keep its identity stable).
 */
export function useShortcuts(
  filterInput: RefObject<HTMLInputElement | null>,
  closeInspector: () => void,
): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const target = ev.target as HTMLElement | null;
      const typing =
        target?.tagName === "INPUT" || target?.tagName === "SELECT" || target?.tagName === "TEXTAREA";
      if (ev.key === "/" && !typing) {
        ev.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      } else if ((ev.key === "f" || ev.key === "F") && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        filterInput.current?.focus();
      } else if (ev.key === "Escape" && !typing) {
        closeInspector();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [filterInput, closeInspector]);
}
