/**
 * The script the compatibility check prepends to the simulator's early bundle: our environment
 * (babelHelpers and stubs), WhatsApp's own modules read verbatim from the local dump, then our
 * bridges. All of it runs before the simulator's module runtime, so each `__d` goes to the page's
 * queueing stub; the runtime replays the queue in order and ignores later definitions of the same
 * names, so these win over the simulator's look-alikes (sim/README.md, runtime).
 *
 * The text is built in memory at run time and served to the test browser only; it is never written
 * into the project.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { babelHelpersUsed, definedModuleNames, type ModuleDump } from "./dump";
import { type LoadPlan, planLoad } from "./plan";

const PAGE_DIR = join(import.meta.dirname, "page");
/** The simulator's page scripts (their module names are read, never changed). */
export const SIM_PAGE_DIR = join(import.meta.dirname, "..", "..", "sim", "page");

/** The babelHelpers our environment script defines (scripts/wa-build/page/env.js). */
export const BABEL_HELPERS_DEFINED = [
  "arrayLikeToArray",
  "createForOfIteratorHelperLoose",
  "extends",
  "inheritsLoose",
  "objectSpread2",
  "objectWithoutPropertiesLoose",
  "taggedTemplateLiteralLoose",
  "wrapNativeSuper",
] as const;

/** The prepended script and what went into it. */
export interface CheckBundle {
  plan: LoadPlan;
  /** babelHelpers the loaded modules call, and those of them our environment lacks. */
  babel: { used: string[]; missing: string[] };
  /** Bytes of WhatsApp's module text loaded (for the report). */
  dumpBytes: number;
  script: string;
}

/**
 * Builds the prepended script for a dump.
 * @param extraRoots further dump modules to load (with their closure).
 */
export function buildBundle(
  dump: ModuleDump,
  extraRoots: readonly string[] = [],
  simulatorNames: ReadonlySet<string> = definedModuleNames(SIM_PAGE_DIR),
): CheckBundle {
  const plan = planLoad(dump, simulatorNames, extraRoots);
  const sources = plan.real.map((n) => dump.source(n) as string);
  const used = babelHelpersUsed(sources);
  const missing = used.filter((n) => !(BABEL_HELPERS_DEFINED as readonly string[]).includes(n));
  const env = readFileSync(join(PAGE_DIR, "env.js"), "utf8");
  const bridges = readFileSync(join(PAGE_DIR, "bridges.js"), "utf8");
  const stubbed = [...plan.stubbed, ...plan.placeholders];
  const script = [
    "/* npm run check:wa-build: our environment, WhatsApp's own modules from a local dump, our bridges */",
    `((selected, babelNames) => {\n${env}\n})(${JSON.stringify(stubbed)}, ${JSON.stringify(used)});`,
    ...sources.map((s) => `${s.trimEnd()}\n;`),
    `((bridges) => {\n${bridges}\n})(${JSON.stringify(plan.bridges)});`,
    "",
  ].join("\n");
  return {
    plan,
    babel: { used, missing },
    dumpBytes: sources.reduce((n, s) => n + Buffer.byteLength(s), 0),
    script,
  };
}
