import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
const ignored = ["node_modules/**", ".next/**", "e2e/**", "data/**"];

/** Unit tests (pure functions, no network) and integration tests (real sshd, real SQLite, real sockets). */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["**/*.test.ts"], exclude: [...ignored, "**/*.integration.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ignored,
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Suites start their own sshd and users; one file at a time keeps them apart.
          fileParallelism: false,
        },
      },
    ],
  },
});
