// Entry point of `npm run lab:up | lab:down | lab:status [-- --json]`.
import { loadConfig } from "./config";
import { LabError } from "./errors";
import { CommandError } from "./exec";
import { labDown, labStatus, labUp, type LabStatus } from "./lab";
import { assertRoot, ensureTools } from "./prereqs";
import { createProgress } from "./progress";

const USAGE = `usage: tsx lab/cli.ts up | down | status [--json]

Environment (same values for all three commands):
  LAB_STATE_DIR        per-host rootfs, PID files, logs, lab.json, root password, SSH host keys (default /var/lib/stackpilot-lab)
  LAB_CACHE_DIR        debootstrapped base rootfs and apt archives, kept by lab:down (default /var/cache/stackpilot-lab)
  LAB_SUBNET           management network, a private /8../24 (default 10.123.0.0/24; bridge .1, hosts .110 .120 .130)
  LAB_PROVIDER_SUBNET  second NIC (eth1) network, or "none" (default 10.123.1.0/24)
  LAB_PROXY_PORT       apt proxy port on the bridge address (default 3128)
  LAB_BOOT_TIMEOUT     seconds to wait for each host's sshd (default 90)
  LAB_FEATURES         container powers that make the hosts hypervisors: tun,kvm,all-capabilities,writable-proc-sys
                       (default all; "none" for plain containers; kvm only where /dev/kvm exists)`;

const COLUMN_WIDTHS = [4, 10, 15, 15, 22];
const tableRow = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(COLUMN_WIDTHS[i] ?? 0)).join("  ")}`;

function formatStatus(s: LabStatus): string {
  const reachable = s.hosts.filter((h) => h.reachable).length;
  const rows = s.hosts.map((h) =>
    tableRow([
      h.name,
      h.role,
      h.managementIp,
      h.providerIp ?? "-",
      h.pid ? `running (pid ${h.pid})` : "not running",
      h.reachable ? `ssh ok: ${h.sshBanner}` : "ssh unreachable",
    ]),
  );
  const bridges = [s.bridge, ...(s.providerBridge ? [s.providerBridge] : [])]
    .map((b) => `${b.name} ${b.address} (${b.subnet}) ${b.present ? "present" : "absent"}`)
    .join("; ");
  return [
    `lab is ${s.up ? "up" : reachable === 0 ? "down" : "partly up"}: ${reachable}/${s.hosts.length} hosts reachable over SSH`,
    tableRow(["host", "role", "management", "provider", "container", "ssh"]),
    ...rows,
    `bridges:        ${bridges}`,
    `apt proxy:      ${s.proxy.url} ${s.proxy.pid ? `(tinyproxy pid ${s.proxy.pid})` : "(not running)"}`,
    `root password:  user root, password in file ${s.rootPasswordSource.file}` +
      (s.rootPasswordSource.exists ? ` (mode ${s.rootPasswordSource.mode})` : " (not created yet: lab:up creates it)"),
    `state file:     ${s.stateFile.file}${s.stateFile.exists ? "" : " (absent)"}`,
    `ip_forward:     ${s.ipForward}`,
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  const json = flags.includes("--json");
  if (!["up", "down", "status"].includes(command ?? "") || flags.some((f) => f !== "--json")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  assertRoot(command);
  const progress = createProgress();
  if (command === "up") {
    await ensureTools(progress);
    await labUp(config, progress);
    progress(`lab up in ${progress.elapsed().toFixed(1)} s`);
  } else if (command === "down") {
    await labDown(config, progress);
    progress(`lab down in ${progress.elapsed().toFixed(1)} s`);
    if (!json) return 0;
  }
  const status = await labStatus(config);
  process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof LabError) {
      process.stderr.write(`lab: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`);
    } else if (error instanceof CommandError) {
      process.stderr.write(`lab: ${error.message}\n  hint: \`npm run lab:down\` removes whatever was half set up\n`);
    } else {
      process.stderr.write(`lab: unexpected error: ${(error as Error).stack ?? error}\n`);
    }
    process.exit(1);
  },
);
