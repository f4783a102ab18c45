import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUEST_BOOTED_LINE, GUEST_KERNEL_COMMAND_LINE, GUEST_LEASE_LINE, GUEST_LOGIN_USER, guestBuildLines } from "./guestImage";
import { script } from "./phaseContext";
import { debian12Zed } from "./profiles/debian12Zed";
import { scriptLibrary } from "./scriptLibrary";

/**
 * The test guest built for real on this machine (Debian 12, root, apt) and booted under qemu
 * (TCG, user networking: everything stays in the qemu process and on loopback). The metadata
 * address is forwarded to an HTTP server of the test's on 127.0.0.1, which hands out the SSH key
 * the test then logs in with. Run under `flock /tmp/sp-heavy.lock` (it binds loopback ports).
 */

const QEMU = "qemu-system-x86_64";
const KEY_PATH = "/latest/meta-data/public-keys/0/openssh-key";

const has = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

/** qemu when present, else installed when this process may (CI installs it: scripts/install-test-deps.sh). */
function qemuAvailable(): boolean {
  if (has(QEMU)) return true;
  if (process.getuid?.() !== 0) return false;
  spawnSync("apt-get", ["install", "-y", "-qq", "qemu-system-x86"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return has(QEMU);
}

const qemu = qemuAvailable();
if (!qemu) console.warn(`Skipping the guest boot test: ${QEMU} is missing and cannot be installed here (apt-get install qemu-system-x86 needs root).`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

describe.skipIf(!qemu)("the test guest, built from Debian packages and booted under qemu", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sp-guest-"));
  const consoleLog = path.join(dir, "console.log");
  const key = path.join(dir, "id_ed25519");
  const metadataRequests: string[] = [];
  let metadata: http.Server;
  let vm: ChildProcess | undefined;
  let sshPort = 0;
  let buildSeconds = 0;

  beforeAll(async () => {
    expect(process.getuid?.(), "Building the guest needs root (chroot, root-owned files in the initramfs)").toBe(0);
    if (spawnSync("apt-cache", ["show", "linux-image-cloud-amd64"], { stdio: "ignore" }).status !== 0) spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });

    const build = ["set -eo pipefail", scriptLibrary(debian12Zed), script(guestBuildLines(path.join(dir, "guest"))).body].join("\n");
    const started = Date.now();
    const built = spawnSync("bash", ["-c", build], { encoding: "utf8" });
    buildSeconds = (Date.now() - started) / 1000;
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    console.log(`Guest built in ${buildSeconds.toFixed(1)} s: ${built.stdout.trim().split("\n").at(-1)}`);

    expect(spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]).status).toBe(0);
    const publicKey = readFileSync(`${key}.pub`, "utf8");
    metadata = http.createServer((req, res) => {
      metadataRequests.push(req.url ?? "");
      if (req.url === KEY_PATH) res.end(publicKey);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve));
    const metadataPort = (metadata.address() as net.AddressInfo).port;
    sshPort = await freePort();

    // qemu runs this for each guest connection to the metadata address: stdin/stdout to the server.
    const relay = path.join(dir, "relay.cjs");
    writeFileSync(relay, `const s = require("net").connect(${metadataPort}, "127.0.0.1"); process.stdin.pipe(s); s.pipe(process.stdout); s.on("error", () => process.exit(1));\n`);
    // The user network is the metadata service's link-local /24, so 169.254.169.254 is on it.
    const nic = ["user", "model=virtio-net-pci", "net=169.254.169.0/24", `guestfwd=tcp:169.254.169.254:80-cmd:${process.execPath} ${relay}`, `hostfwd=tcp:127.0.0.1:${sshPort}-:22`].join(",");
    vm = spawn(QEMU, ["-machine", "accel=tcg", "-m", "256", "-nographic", "-no-reboot", "-monitor", "none", "-serial", `file:${consoleLog}`,
      "-kernel", path.join(dir, "guest", "vmlinuz"), "-initrd", path.join(dir, "guest", "initrd.gz"), "-append", `${GUEST_KERNEL_COMMAND_LINE} panic=-1`, "-nic", nic], { stdio: "ignore" });
  }, 180_000);

  afterAll(async () => {
    if (vm?.pid && vm.exitCode === null) vm.kill("SIGTERM");
    await new Promise<void>((resolve) => (metadata ? metadata.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function consoleShows(text: string, seconds: number): Promise<string> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const shown = existsSync(consoleLog) ? readFileSync(consoleLog, "utf8") : "";
      if (shown.includes(text) || Date.now() > deadline || vm?.exitCode !== null) return shown;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("boots to its init, gets a DHCP lease and says it booted on the serial console", async () => {
    const started = Date.now();
    const shown = await consoleShows(GUEST_BOOTED_LINE, 50);
    expect(shown, "the guest's console").toContain(GUEST_BOOTED_LINE);
    console.log(`Booted line after ${((Date.now() - started) / 1000).toFixed(1)} s (build took ${buildSeconds.toFixed(1)} s)`);
    // qemu's user network hands out .15 first, from its DHCP server at .2.
    expect(shown).toContain(`${GUEST_LEASE_LINE} 169.254.169.15/24 router 169.254.169.2 on eth0`);
    expect(shown).toMatch(new RegExp(`${GUEST_BOOTED_LINE} \\(169\\.254\\.169\\.15/24, ssh as root on port 22\\)`));
  }, 60_000);

  it("takes root's SSH key from the metadata service and lets that key log in with dropbear", async () => {
    const shown = await consoleShows("ssh key from the metadata service installed for root", 30);
    expect(shown).toContain("ssh key from the metadata service installed for root");
    expect(metadataRequests).toContain(KEY_PATH);
    const ssh = spawnSync("ssh", ["-i", key, "-p", String(sshPort), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=20", `${GUEST_LOGIN_USER}@127.0.0.1`, "id -u; cat /proc/cmdline"], { encoding: "utf8", timeout: 40_000 });
    expect(ssh.status, ssh.stderr).toBe(0);
    expect(ssh.stdout.split("\n")).toEqual(["0", `${GUEST_KERNEL_COMMAND_LINE} panic=-1`, ""]);
  }, 60_000);

  it("refuses a key the metadata service did not give", () => {
    const stranger = path.join(dir, "stranger");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    const ssh = spawnSync("ssh", ["-i", stranger, "-p", String(sshPort), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", `${GUEST_LOGIN_USER}@127.0.0.1`, "true"], { encoding: "utf8", timeout: 40_000 });
    expect(ssh.status).not.toBe(0);
    expect(ssh.stderr).toContain("Permission denied");
  }, 60_000);
});
