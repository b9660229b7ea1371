/*
 * First script of the backend worker (2026 profile; classic and module workers alike): keeps the
 * worker's `Error` and `Function.prototype.toString` as they were when its own code started, for the
 * simulator's footprint counters (`__sim.workerFootprint()`). A symbol-keyed, non-enumerable slot.
 */
if (new URLSearchParams(self.location.search).get("wa") !== "legacy") {
  const key = Symbol.for("WASim.pristine");
  if (!Object.getOwnPropertySymbols(self).includes(key)) {
    Object.defineProperty(self, key, {
      value: Object.freeze({ Error: self.Error, fnToString: Function.prototype.toString }),
    });
  }
}
