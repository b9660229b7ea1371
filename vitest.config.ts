import { defineConfig } from "vitest/config";

// Two projects: fast Node unit tests, and end-to-end tests that drive the built
// extension in Debian Chromium against the simulator (they need `vite build` first).
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
