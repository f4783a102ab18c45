import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adoptHostKeys, ensureHostKeys, installHostKeys } from "./hostKeys";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lab-hostkeys-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fingerprint = (pub: string) => execFileSync("ssh-keygen", ["-l", "-f", pub], { encoding: "utf8" }).split(" ")[1];

describe("host keys", () => {
  it("are generated once per host and kept: a second lab:up gets the same keys", async () => {
    const keys = path.join(dir, "ct");
    await ensureHostKeys(keys, "ct");
    const before = await readFile(path.join(keys, "ssh_host_ed25519_key.pub"), "utf8");
    await ensureHostKeys(keys, "ct");
    expect(await readFile(path.join(keys, "ssh_host_ed25519_key.pub"), "utf8")).toBe(before);
    expect(before).toMatch(/^ssh-ed25519 \S+ root@ct\n$/);
    expect((await stat(keys)).mode & 0o777).toBe(0o700);
    expect((await readdir(keys)).sort()).toEqual(
      ["ecdsa", "ed25519", "rsa"].flatMap((t) => [`ssh_host_${t}_key`, `ssh_host_${t}_key.pub`]),
    );
  });

  it("differ between hosts", async () => {
    await ensureHostKeys(path.join(dir, "c1"), "c1");
    await ensureHostKeys(path.join(dir, "c2"), "c2");
    const [c1, c2] = ["c1", "c2"].map((h) => fingerprint(path.join(dir, h, "ssh_host_ed25519_key.pub")));
    expect(c1).toMatch(/^SHA256:/);
    expect(c1).not.toBe(c2);
  });

  it("land in the rootfs's /etc/ssh with sshd's modes, replacing what was there", async () => {
    const keys = path.join(dir, "keys");
    const rootfs = path.join(dir, "rootfs");
    await ensureHostKeys(keys, "c1");
    await mkdir(path.join(rootfs, "etc/ssh"), { recursive: true });
    await installHostKeys(keys, rootfs);
    await installHostKeys(keys, rootfs); // a second copy over the first is fine
    const installed = path.join(rootfs, "etc/ssh/ssh_host_rsa_key");
    expect((await stat(installed)).mode & 0o777).toBe(0o600);
    expect((await stat(`${installed}.pub`)).mode & 0o777).toBe(0o644);
    expect(await readFile(installed, "utf8")).toBe(await readFile(path.join(keys, "ssh_host_rsa_key"), "utf8"));
  });

  it("adopt the keys a host already has when none are kept, and never replace kept ones", async () => {
    const rootfs = path.join(dir, "rootfs");
    await mkdir(path.join(rootfs, "etc/ssh"), { recursive: true });
    await ensureHostKeys(path.join(dir, "old"), "ct");
    await installHostKeys(path.join(dir, "old"), rootfs); // a host that came up before keys were kept
    const kept = path.join(dir, "kept");
    await adoptHostKeys(kept, rootfs);
    const pub = "ssh_host_ed25519_key.pub";
    expect(await readFile(path.join(kept, pub), "utf8")).toBe(await readFile(path.join(dir, "old", pub), "utf8"));

    await ensureHostKeys(path.join(dir, "other"), "ct");
    await installHostKeys(path.join(dir, "other"), rootfs);
    await adoptHostKeys(kept, rootfs);
    expect(await readFile(path.join(kept, pub), "utf8")).toBe(await readFile(path.join(dir, "old", pub), "utf8"));
  });

  it("are not adopted from a rootfs that lacks some", async () => {
    const rootfs = path.join(dir, "rootfs");
    await mkdir(path.join(rootfs, "etc/ssh"), { recursive: true });
    await adoptHostKeys(path.join(dir, "kept"), rootfs);
    await expect(stat(path.join(dir, "kept"))).rejects.toThrow(/ENOENT/);
  });
});
