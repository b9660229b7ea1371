/**
 * The one error convention of this project, modelled on the codec's `CodecError`
 * (codec/errors.ts, which already follows it):
 *
 * - every error that crosses a module boundary (a folder of `src/shared`, the CLI, the panel's
 *   helpers) is a **value**: returned, never thrown. No function a module exports to others
 *   throws on bad input;
 * - the value carries `name` (its family, e.g. `"LeakError"`), `code` (what went wrong, a
 *   string union per family, for programs) and `message` (one line for people). It is plain
 *   data or a plain class, never an `Error` subclass: no stack, and `name` is an own property
 *   (except `ImportError`, below), so it survives `structuredClone` / `postMessage`. A family
 *   may add its own fields (`offset`, `path`, `findings`, `line`, …);
 * - test a value with {@link isErrorValue} (or the family's thin wrapper of it, e.g.
 *   `isLeakError`), not with `instanceof`: a cloned value has lost its class;
 * - a function that returns either a result or a failure returns a {@link Result}: `ok: true`
 *   plus the result's fields, or `ok: false` plus the failure's fields: `error` with one error
 *   value ({@link Failure}), `errors` with a list of them (validators), `message` where only a
 *   UI shows it (the panel), or `reason` where the failure is an expected outcome named by a
 *   code alone (noise decryption).
 *
 * The families: `CodecError`, `XmlError` (codec); `LeakError` (sanitize, code `leaked`, plus
 * `findings`); `ExportInputError` (export); `TraceError` (tracefile, plus `path`); `PeekError`
 * (capture, the codec's codes, plus `offset`; was `kind: "peek-error"`); `NormalizeError`
 * (stanza, plus `offset?`; was `kind: "normalize-error"`); `ImportError` (importers, plus
 * `file?`, `line`, and `reason`, which is its `message`). `ImportError` keeps `file?`, `line`
 * and `reason` as its only own fields (reports list them), so its `name`, `code` and
 * `message` are getters and an `ImportError` is not meant to be cloned. The importers' XML
 * chunks carry the codec's `XmlError`.
 *
 * Internal control flow may throw: a thrown value that is caught inside the module that
 * threw it (the importers' `ValueError`, the CLI's `UsageError`, the peeker's `Fail`) is an
 * implementation detail and may be an `Error`. It is turned into an error value (or a
 * message and an exit code) before it leaves that module.
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
