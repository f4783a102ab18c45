import { env } from "@/server/env";
import { startServer } from "@/server/server";
import { drillPlaybook } from "@/server/testing/drillPlaybook";

/**
 * The real StackPilot server (same startServer, same production build) whose deployments run the
 * drill playbook instead of OpenStack's, for tests of the runner as a process: kill -9 and
 * restart, 200 000 lines, cancel. DRILL_DIR is where the drill's steering files live.
 */
const dir = process.env.DRILL_DIR;
if (!dir) throw new Error("Set DRILL_DIR.");
startServer(env(), { playbookFor: drillPlaybook(dir) }).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
