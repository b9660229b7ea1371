/**
 * A minimal memo for the panel's row components: the row re-renders only when `equal`
 * says its props changed (Preact skips a component whose `shouldComponentUpdate` is false).
 */
import type { Component, FunctionComponent, VNode } from "preact";

/** Shallow equality of two props objects. */
export function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka)
    if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

/** Wraps a row renderer so that it skips re-rendering while `equal(prev, next)` holds. */
export function memo<P extends object>(
  render: (props: P) => VNode | null,
  equal: (prev: P, next: P) => boolean = shallowEqual,
): FunctionComponent<P> {
  function Memoized(this: Component<P>, props: P) {
    this.shouldComponentUpdate = (next: P) => !equal(this.props as P, next);
    return render(props);
  }
  return Memoized as unknown as FunctionComponent<P>;
}
