import { describe, expect, it } from "vitest";
import { keyed } from "../../../src/shared/view/keys";

describe("keyed", () => {
  it("keys items by content, numbering repeats in order", () => {
    const out = keyed(["a", "b", "a", "a"], (s) => s);
    expect(out.map((x) => x.key)).toEqual(["a", "b", "a#2", "a#3"]);
    expect(out.map((x) => x.item)).toEqual(["a", "b", "a", "a"]);
    // A key stays with its item when an item before it goes away.
    expect(keyed(["b", "a"], (s) => s).map((x) => x.key)).toEqual(["b", "a"]);
  });
});
