// One lab command at a time: lab:up and lab:down racing each other would leave half a lab.
import { open, readFile, rm } from "node:fs/promises";
import { LabError } from "./errors";
import { isRunning } from "./processes";

export async function withLock<T>(lockFile: string, action: string, body: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = Number((await readFile(lockFile, "utf8").catch(() => "")).trim());
      if (holder > 0 && (await isRunning(holder))) {
        throw new LabError(
          `another lab command (PID ${holder}) is running, so lab:${action} does not start`,
          `retry when it has finished, or remove ${lockFile} if PID ${holder} is not a lab command`,
        );
      }
      await rm(lockFile, { force: true }); // left by a command that died
    }
  }
  try {
    return await body();
  } finally {
    await rm(lockFile, { force: true });
  }
}
