import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { env } from "../env";
import { listenOn } from "./listen";
import { lockDataDir } from "./serverLock";

/**
 * `npm start`'s first command, before `next build`: a second start would otherwise rebuild .next
 * under the server already running from it, only to be turned away after the build. Says why it
 * cannot start (the data directory's server, a busy port) and exits 1; changes nothing.
 */
async function main() {
  const settings = env();
  if (existsSync(settings.dataDir)) lockDataDir(settings.dataDir).release();
  const probe = createServer();
  await listenOn(probe, settings.HOST, settings.PORT);
  await new Promise((resolve) => probe.close(resolve));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
