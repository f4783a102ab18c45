/**
 * `npm test`: every test on real parts — unit, integration (real sshd), e2e (real Chromium on the
 * production build) and the lab tests on three real systemd hosts. It brings the lab up first and
 * takes it down at the end (also when tests fail), unless the lab was already up.
 * Ends with one plain line "N passed, N failed".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

type Tally = { passed: number; failed: number; skipped: number };
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const problems: string[] = [];
const bin = (name: string) => `node_modules/.bin/${name}`;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };

function run(title: string, command: string, args: string[]): boolean {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  console.log(`=== ${title}: ${result.status === 0 ? "ok" : `exit ${result.status ?? result.signal}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/** Adds a suite's counts from its JSON report; a suite that produced none counts as a failure. */
function count(title: string, reportFile: string, read: (report: any) => Tally) {
  if (!existsSync(reportFile)) {
    problems.push(`${title}: no test report (the suite did not run)`);
    total.failed += 1;
    return;
  }
  const tally = read(JSON.parse(readFileSync(reportFile, "utf8")));
  console.log(`=== ${title}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  if (tally.passed + tally.failed === 0) problems.push(`${title}: no test ran`);
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
}

const fromVitest = (r: any): Tally => ({ passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped: r.numPendingTests + r.numTodoTests });
const fromPlaywright = (r: any): Tally => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + (r.errors?.length ?? 0), skipped: r.stats.skipped });

function vitest(title: string, projects: string[], reportFile: string) {
  rmSync(reportFile, { force: true });
  const args = ["run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`];
  run(title, bin("vitest"), args);
  count(title, reportFile, fromVitest);
}

mkdirSync("test-results", { recursive: true });
if (!run("test dependencies", "bash", ["scripts/install-test-deps.sh"])) {
  console.error("Cannot install what the tests need; not running them.");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// The lab comes up first: the lab tests and the e2e lab tests need it.
const labWasUp = isLabUp();
let labUp = labWasUp;
try {
  if (!labWasUp) labUp = run("lab up", bin("tsx"), ["lab/cli.ts", "up"]);
  if (!labUp) problems.push("lab:up failed: the lab tests and the lab e2e test will fail");

  vitest("unit and integration", ["unit", "integration"], "test-results/vitest.json");

  // The lab tests deploy OpenStack on fresh hosts first; the browser tests then drive the wizard
  // against the deployed lab (a deployment there finds every step done).
  vitest("lab", ["lab"], "test-results/vitest-lab.json");

  if (run("production build", bin("next"), ["build"])) {
    rmSync("test-results/e2e-report.json", { force: true });
    run("e2e (Chromium)", bin("playwright"), ["test"]);
    count("e2e (Chromium)", "test-results/e2e-report.json", fromPlaywright);
  } else {
    problems.push("next build failed: e2e tests not run");
    total.failed += 1;
  }
} finally {
  if (!labWasUp) run("lab down", bin("tsx"), ["lab/cli.ts", "down"]);
}

function isLabUp(): boolean {
  const status = spawnSync(bin("tsx"), ["lab/cli.ts", "status", "--json"], { encoding: "utf8", env });
  try {
    return JSON.parse(status.stdout).up === true;
  } catch {
    return false;
  }
}

for (const problem of problems) console.log(`problem: ${problem}`);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
console.log(`\n${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 || problems.length > 0 ? 1 : 0);
