// The hosts' SSH host keys: generated once per host and kept in the state dir, so a re-created
// lab (lab:down, lab:up) shows the same keys and the app's pinned keys still match, as the
// root password still works. Each lab:up copies them into the host's fresh rootfs.
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { run } from "./exec";

/** The types `ssh-keygen -A` makes on Debian 12, so sshd offers what it always offered. */
const KEY_TYPES = ["rsa", "ecdsa", "ed25519"] as const;

/** The private key file of one type; its public key is beside it with ".pub". */
const keyFile = (type: (typeof KEY_TYPES)[number]) => `ssh_host_${type}_key`;

/** Generates the host's key set unless it exists; built beside and renamed, so a set is never half. */
export async function ensureHostKeys(dir: string, hostName: string): Promise<void> {
  if (existsSync(dir)) return;
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  for (const type of KEY_TYPES) {
    // -N "": host keys have no passphrase (sshd reads them unattended); nothing secret on argv.
    await run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", `root@${hostName}`, "-f", path.join(partial, keyFile(type))]);
  }
  await rename(partial, dir);
}

/**
 * Keeps the keys a host already shows when none are kept yet: a lab brought up before keys were
 * kept keeps its current keys through the next lab:down/up, instead of changing them once more.
 */
export async function adoptHostKeys(dir: string, rootfs: string): Promise<void> {
  const sshDir = path.join(rootfs, "etc/ssh");
  const files = KEY_TYPES.flatMap((t) => [keyFile(t), `${keyFile(t)}.pub`]);
  if (existsSync(dir) || !files.every((f) => existsSync(path.join(sshDir, f)))) return;
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  for (const f of files) await copyFile(path.join(sshDir, f), path.join(partial, f));
  await rename(partial, dir);
}

/** Copies the kept keys into a rootfs's /etc/ssh with sshd's modes (private 0600, public 0644). */
export async function installHostKeys(dir: string, rootfs: string): Promise<void> {
  const sshDir = path.join(rootfs, "etc/ssh");
  for (const type of KEY_TYPES) {
    for (const [name, mode] of [[keyFile(type), 0o600], [`${keyFile(type)}.pub`, 0o644]] as const) {
      const target = path.join(sshDir, name);
      await rm(target, { force: true }); // never write through a symlink in the rootfs
      await copyFile(path.join(dir, name), target);
      await chmod(target, mode);
    }
  }
}
