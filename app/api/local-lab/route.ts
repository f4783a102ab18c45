import { readLabState } from "@/lab/state";
import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Whether the local lab is up, and its hosts (never its password). */
export const GET = apiHandler(async () => {
  const lab = await readLabState();
  return lab ? { up: true, hosts: lab.hosts } : { up: false, hosts: [] };
});
