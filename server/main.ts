import { env } from "./env";
import { startServer } from "./server";

startServer(env()).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
