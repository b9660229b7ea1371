/**
 * The fault-injection build, never shipped: the normal extension with every capture entry
 * point forced to throw (`__WACI_FAULT__ = "throw"`, see src/tap/guard.ts), written to
 * `.tmp/dist-faulty/` (git- and Biome-ignored, like every scratch output). Used by
 * e2e/capture-zero-harm.test.ts, which builds it when it is older than `src/`, to prove that a
 * broken tap cannot change WhatsApp's behaviour. Build: `vite build --config vite.faulty.config.ts`.
 */
import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config.ts";

export default mergeConfig(
  base,
  defineConfig({
    define: { __WACI_FAULT__: JSON.stringify("throw") },
    build: { outDir: ".tmp/dist-faulty", emptyOutDir: true },
  }),
);
