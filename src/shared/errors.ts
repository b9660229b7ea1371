/**
 * The one error convention of this project, modelled on the codec's `CodecError`
 * (codec/errors.ts, which already follows it):
 *
 * - every error that crosses a module boundary is a **value**: returned, never thrown. Nothing
 *   exported from `src/shared`, `src/cli` or the panel's helpers throws on bad input;
 * - the value carries `name` (its family, e.g. `"LeakError"`, an own property of plain data or
 *   of a plain class, never an `Error` subclass, so it survives `structuredClone` /
 *   `postMessage` and logs without a stack), `code` (what went wrong, a string union per
 *   family, for programs) and `message` (one line for people). A family may add its own fields
 *   (`offset`, `path`, `findings`, `line`, …);
 * - test a value with {@link isErrorValue} (or the family's thin wrapper of it, e.g.
 *   `isLeakError`), never with `instanceof`, since a cloned value has lost its class;
 * - a function that returns either a result or a failure returns a {@link Result}: `ok: true`
 *   plus the result's fields, or `ok: false` plus the failure's fields (`error` with one
 *   error value, `errors` with a list of them, or `message` where a UI only shows text).
 *
 * Internal control flow may throw: a thrown value that is caught inside the module that
 * threw it (the importers' `ValueError`, the CLI's `UsageError`, the peeker's `Fail`) is an
 * implementation detail and may be an `Error`. It must be turned into an error value (or a
 * message) before it leaves that module.
 */

/**
 * The fields every error value has.
 * @typeParam N the family name (`"PeekError"`, …), equal to the type's own name.
 * @typeParam C the family's code union.
 */
export interface ErrorValue<N extends string = string, C extends string = string> {
  readonly name: N;
  readonly code: C;
  readonly message: string;
}

/**
 * True when `x` is an error value (an object with string `name`, `code` and `message`), of
 * family `name` when given. Works on class instances and on structured clones of them.
 */
export function isErrorValue<N extends string>(x: unknown, name?: N): x is ErrorValue<N> {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Partial<Record<keyof ErrorValue, unknown>>;
  return (
    typeof o.name === "string" &&
    (name === undefined || o.name === name) &&
    typeof o.code === "string" &&
    typeof o.message === "string"
  );
}

/**
 * Either a result or a failure: `{ ok: true } & T` or `{ ok: false } & F`, so callers
 * branch on `ok`. `F` is `{ error: E }` for one error value (see {@link Failure}),
 * `{ errors: E[] }` for validators that report every problem.
 */
export type Result<T extends object, F extends object> = ({ ok: true } & T) | ({ ok: false } & F);

/** The failure side of a {@link Result} that carries one error value. */
export interface Failure<E extends ErrorValue> {
  error: E;
}
