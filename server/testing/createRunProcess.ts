import { createPrismaClient } from "../db/client";
import { RunEventHub } from "../realtime/runEventHub";
import { ActiveRunExists, RunStore } from "../store/runStore";

/**
 * A process of its own that tries to create a deployment run of a plan at a given moment, as a
 * second server on the same database would; prints what happened as one line of JSON. For the
 * race tests of the one-active-run-per-plan rule (server/store/runStore.integration.test.ts).
 *
 *   node --import tsx server/testing/createRunProcess.ts <database file> <start at, epoch ms>
 *   (the plan's view as JSON in PLAN_VIEW)
 */
const [databaseFile, startAt] = process.argv.slice(2);
const view = JSON.parse(process.env.PLAN_VIEW ?? "null");
if (!databaseFile || !startAt || !view) throw new Error("Usage: createRunProcess.ts <database file> <start at, epoch ms> with PLAN_VIEW set.");

const db = await createPrismaClient(databaseFile);
const runs = new RunStore(db, new RunEventHub());
await db.run.count(); // the connection is open before the race starts
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
try {
  const run = await runs.create({ plan: { view, secretsSetAt: {} }, kind: "deploy", steps: [{ stepKey: "a", hostId: "h1", hostName: "ct" }] });
  console.log(JSON.stringify({ created: run.id }));
} catch (error) {
  if (!(error instanceof ActiveRunExists)) throw error;
  console.log(JSON.stringify({ refusedFor: error.run.id }));
} finally {
  await db.$disconnect();
}
