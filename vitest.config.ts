import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const alias = { "@": path.resolve(import.meta.dirname) };
const ignored = ["node_modules/**", ".next/**", "e2e/**", "data/**"];
/** Tests that need the three-node lab up (npm test brings it up for them). */
const labTests = ["lab/**/*.integration.test.ts", "**/*.lab.test.ts"];

/** The lab test that re-creates the lab runs first: later lab tests deploy to the hosts it would wipe. */
class LabRecreateFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const recreates = (f: TestSpecification) => f.moduleId.endsWith("lab/recreate.integration.test.ts");
    return [...sorted.filter(recreates), ...sorted.filter((f) => !recreates(f))];
  }
}

/**
 * Unit tests (pure functions, no network), integration tests (real sshd, real SQLite, real sockets)
 * and lab tests (the three real systemd hosts of `npm run lab:up`).
 */
export default defineConfig({
  resolve: { alias },
  test: {
    sequence: { sequencer: LabRecreateFirst },
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["**/*.test.ts"], exclude: [...ignored, "**/*.integration.test.ts", ...labTests], environment: "node", testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: [...ignored, ...labTests],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Suites start their own sshd and users; one file at a time keeps them apart.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: { name: "lab", include: labTests, exclude: ignored, environment: "node", testTimeout: 1_800_000, hookTimeout: 600_000, fileParallelism: false },
      },
    ],
  },
});
