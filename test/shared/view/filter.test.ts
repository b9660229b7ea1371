import { describe, expect, it } from "vitest";
import {
  compileFilter,
  DEFAULT_FILTER,
  IncrementalFilter,
  sortedIndexOf,
} from "../../../src/shared/view/filter";
import { SessionIndex } from "../../../src/shared/view/sessionIndex";
import { incomingAnswered, outgoingMissed, resetSeq } from "./fixtures";

describe("sortedIndexOf", () => {
  it("finds a value in an ascending array, or -1", () => {
    const a = [2, 3, 5, 8, 13, 21];
    a.forEach((v, i) => {
      expect(sortedIndexOf(a, v)).toBe(i);
    });
    for (const v of [0, 4, 9, 22]) expect(sortedIndexOf(a, v)).toBe(-1);
    expect(sortedIndexOf([], 1)).toBe(-1);
  });
});

describe("IncrementalFilter.result", () => {
  it("is a new object when rows were added or the filter changed, the same one otherwise", () => {
    resetSeq();
    const index = new SessionIndex();
    index.add(outgoingMissed("A", 1000));
    const inc = new IncrementalFilter();
    const acks = compileFilter({ ...DEFAULT_FILTER, actions: ["ack"] });
    const all = compileFilter(DEFAULT_FILTER);
    const first = inc.result(index.rows, acks, index.epoch, "acks");
    expect(inc.result(index.rows, acks, index.epoch, "acks")).toBe(first);
    expect(first.rows).toBe(inc.rows(index.rows, acks, index.epoch, "acks"));
    expect(first.seqs).toBe(inc.seqs("acks"));
    expect(first.callIds).toBe(inc.callIds("acks"));
    expect(inc.result(index.rows, all, index.epoch, "all")).not.toBe(first);
    index.add(incomingAnswered("B", 5000));
    const grown = inc.result(index.rows, acks, index.epoch, "acks");
    expect(grown).not.toBe(first);
    expect(grown.count).toBe(grown.rows.length);
    expect([...grown.callIds].sort()).toEqual(["A", "B"]);
  });
});
