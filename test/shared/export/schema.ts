/**
 * JSON-schema validation for tests. Uses Ajv (draft 2020-12) when it is installed; otherwise a
 * small checker of the keywords the wacrg capture schema uses (type, required, properties,
 * additionalProperties, enum, const, minLength, minimum, items). The schema itself is always
 * read from the wacrg snapshot (WACRG_DIR), never copied into this project.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { WACRG_DIR } from "../../support/dirs";

type Schema = Record<string, unknown>;

/** Reads a JSON schema from the wacrg snapshot. */
export function wacrgSchema(rel: string): Schema {
  return JSON.parse(readFileSync(path.join(WACRG_DIR, rel), "utf8")) as Schema;
}

const typeOk = (t: string, v: unknown): boolean => {
  switch (t) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "null":
      return v === null;
    default:
      return typeof v === t;
  }
};

function check(schema: Schema, v: unknown, p: string, errors: string[]): void {
  if (schema.type !== undefined && !typeOk(schema.type as string, v)) {
    errors.push(`${p}: expected ${schema.type}`);
    return;
  }
  if (schema.const !== undefined && v !== schema.const)
    errors.push(`${p}: expected const ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push(`${p}: not in enum`);
  if (typeof schema.minLength === "number" && typeof v === "string" && v.length < schema.minLength)
    errors.push(`${p}: too short`);
  if (typeof schema.minimum === "number" && typeof v === "number" && v < schema.minimum)
    errors.push(`${p}: below minimum`);
  if (typeOk("object", v)) {
    const o = v as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in o)) errors.push(`${p}: missing ${r}`);
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) check(props[k], x, `${p}/${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${p}: additional property ${k}`);
    }
  }
  if (Array.isArray(v) && schema.items) {
    v.forEach((x, i) => {
      check(schema.items as Schema, x, `${p}/${i}`, errors);
    });
  }
}

let ajvCompile: ((s: Schema) => ((v: unknown) => boolean) & { errors?: unknown[] | null }) | null | undefined;

async function loadAjv() {
  if (ajvCompile !== undefined) return ajvCompile;
  try {
    const spec = "ajv/dist/2020.js";
    const mod = (await import(/* @vite-ignore */ spec)) as {
      default: new (o: object) => { compile: typeof ajvCompile };
    };
    const ajv = new mod.default({ strict: false, allErrors: true });
    ajvCompile = (s) => (ajv.compile as NonNullable<typeof ajvCompile>)(s);
  } catch {
    ajvCompile = null;
  }
  return ajvCompile;
}

/** Validates `value` against `schema`; returns error strings (empty = valid) and which validator ran. */
export async function validate(
  schema: Schema,
  value: unknown,
): Promise<{ errors: string[]; validator: "ajv" | "subset" }> {
  const compile = await loadAjv();
  if (compile) {
    const fn = compile(schema);
    const ok = fn(value);
    return { errors: ok ? [] : (fn.errors ?? []).map((e) => JSON.stringify(e)), validator: "ajv" };
  }
  const errors: string[] = [];
  check(schema, value, "", errors);
  return { errors, validator: "subset" };
}
