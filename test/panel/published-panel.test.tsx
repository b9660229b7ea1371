// @vitest-environment happy-dom
/**
 * A bare action read from published XML reaches the panel as a call, and the inspector says its
 * `<call>` is synthetic. The example was written for this project.
 */
import { cleanup, fireEvent, render } from "@testing-library/preact";
import { afterEach, expect, it } from "vitest";
import { App } from "../../src/panel/App";
import { syncStore } from "../../src/panel/state";
import { importText } from "../../src/shared/importers/index";
import { noopActions } from "./fixtures";

afterEach(cleanup);

const noop = noopActions;

it("shows a bare <reject> as a call and marks its synthetic <call> in the inspector", () => {
  const r = importText(
    '> <reject call-id="5F3E2D1C0B0A09080706050403020100" call-creator="31415926535@lid" count="0">\n> </reject>\n',
  );
  expect(r.trace.stanzas[0].synthetic).toBe("call-wrapper");
  const store = syncStore();
  store.receive({
    type: "backlog",
    tabId: 1,
    stanzas: r.trace.stanzas,
    health: { taps: [], seenByTag: {}, forwarded: 0, filtered: 0, errors: 0 },
  });
  const { container, getByTestId } = render(<App store={store} actions={noop} />);
  expect(container.querySelectorAll("[data-testid=call-list] tbody tr")).toHaveLength(1);
  fireEvent.click(container.querySelector("[data-testid=ladder] g[data-action=reject]") as Element);
  expect(getByTestId("inspector-synthetic").textContent).toBe("synthetic <call> · direction unknown");
});
