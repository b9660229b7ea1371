import { describe, expect, it } from "vitest";
import { nextSelection } from "../../../src/shared/view/selection";

const order = ["a", "b", "c", "d", "e"];

describe("call selection", () => {
  it("replaces on click and toggles on Ctrl+click", () => {
    expect(nextSelection(["a", "b"], "c", "replace", order)).toEqual(["c"]);
    expect(nextSelection(["a"], "c", "toggle", order)).toEqual(["a", "c"]);
    expect(nextSelection(["a", "c"], "a", "toggle", order)).toEqual(["c"]);
  });

  it("selects a range from the anchor, in list order, ending at the clicked call", () => {
    expect(nextSelection(["b"], "d", "range", order)).toEqual(["b", "c", "d"]);
    expect(nextSelection(["a", "d"], "b", "range", order)).toEqual(["d", "c", "b"]);
    expect(nextSelection([], "c", "range", order, "e")).toEqual(["e", "d", "c"]);
    expect(nextSelection([], "c", "range", order)).toEqual(["c"]);
    expect(nextSelection(["x"], "c", "range", order)).toEqual(["c"]);
  });
});
