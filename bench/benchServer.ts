import { env } from "@/server/env";
import { startServer } from "@/server/server";
import { floodPlaybook, touchPlaybook } from "./playbooks";

/**
 * The real StackPilot server (same startServer, same production build) whose deployments run one
 * of the bench's playbooks: BENCH_PLAYBOOK=flood (BENCH_FLOOD_LINES lines on the controller) or touch.
 */
const which = process.env.BENCH_PLAYBOOK;
const playbookFor = which === "flood" ? floodPlaybook(Number(process.env.BENCH_FLOOD_LINES ?? 200_000)) : which === "touch" ? touchPlaybook : null;
if (!playbookFor) throw new Error("Set BENCH_PLAYBOOK to flood or touch.");
startServer(env(), { playbookFor }).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
