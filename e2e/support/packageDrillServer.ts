import { env } from "@/server/env";
import { startServer } from "@/server/server";
import { labPackagePlaybook } from "@/server/testing/labPackages";

/**
 * The real StackPilot server (same startServer, same production build) whose deployments run one
 * real package step, installing vim and NumPy on the lab's controller, for the browser test of
 * an install cut off and resumed (e2e/packageRecovery.spec.ts).
 */
startServer(env(), { playbookFor: labPackagePlaybook }).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
