/**
 * The only globals `src/shared` may use beyond ECMAScript itself: the WHATWG Encoding API, which
 * pages, workers and Node all provide. `tsconfig.shared.json` checks `src/shared` against these
 * and ES2023 alone (no DOM, no Node types), so that a browser or Node API used there fails the
 * typecheck. Declared to the extent the shared code uses them.
 */
declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  readonly fatal: boolean;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
