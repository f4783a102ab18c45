// What the lab needs from this machine: root, and a few Debian packages it installs if missing.
import { LabError } from "./errors";
import { CommandError, findOnPath, run } from "./exec";

/** Program → Debian package that provides it. */
const TOOLS: Record<string, string> = {
  "systemd-nspawn": "systemd-container",
  debootstrap: "debootstrap",
  tinyproxy: "tinyproxy-bin",
  sshpass: "sshpass",
  "ssh-keygen": "openssh-client",
  openssl: "openssl",
  ip: "iproute2",
  nsenter: "util-linux",
};

export function assertRoot(action: string): void {
  if (process.getuid?.() !== 0) {
    throw new LabError(
      `lab:${action} must run as root: the lab's namespaces, containers and state files belong to root`,
      `run it as root, e.g. sudo npm run lab:${action}`,
    );
  }
}

async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    if (!(await findOnPath(tool))) missing.push(pkg);
  }
  return [...new Set(missing)];
}

/** Installs missing tools with apt-get (refreshing the package lists once if the first try fails). */
export async function ensureTools(log: (message: string) => void): Promise<void> {
  const missing = await missingPackages();
  if (missing.length === 0) return;
  log(`installing ${missing.join(", ")} with apt-get`);
  const install = () =>
    run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  try {
    await install();
  } catch {
    try {
      await run("apt-get", ["update"]);
      await install();
    } catch (error) {
      const detail = error instanceof CommandError ? `\n${error.message}` : ` (${(error as Error).message})`;
      throw new LabError(
        `the lab needs ${missing.join(", ")}, and apt-get could not install them${detail}`,
        `install them by hand: apt-get install ${missing.join(" ")}`,
      );
    }
  }
  const still = await missingPackages();
  if (still.length > 0) throw new LabError(`still missing after apt-get install: ${still.join(", ")}`);
}
