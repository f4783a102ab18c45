// Re-creates the running lab (lab:down, then lab:up) as a user would, and checks that the hosts
// come back as the same hosts: the app pins each host's SSH key on first use, so new keys would
// stop every later Check hosts with "The host key of ct changed". vitest.config.ts runs this file
// before the other lab tests, so the hosts they deploy to are not wiped under them.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { readLabState, type LabState } from "./state";

const exec = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..");

let lab: LabState;

beforeAll(async () => {
  const state = await readLabState();
  if (!state) throw new Error("the lab is down: run `npm run lab:up` (as root) before the lab's integration tests");
  lab = state;
});

async function labCommand(command: "up" | "down"): Promise<number> {
  const started = Date.now();
  await exec(path.join(repoRoot, "node_modules/.bin/tsx"), ["lab/cli.ts", command], { cwd: repoRoot, timeout: 600_000 });
  return (Date.now() - started) / 1000;
}

/** Every host key each host offers, as "<type> <base64>" lines, sorted. */
async function hostKeys(): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    lab.hosts.map(async (h) => {
      const { stdout } = await exec("ssh-keyscan", ["-T", "10", "-p", String(h.sshPort), "-t", "rsa,ecdsa,ed25519", h.managementIp]);
      const keys = stdout.split("\n").filter(Boolean).map((l) => l.split(" ").slice(1).join(" ")).sort();
      return [h.name, keys] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** What of the lab is still on the machine: netns, links, mounts and processes that name it. */
async function leftovers(): Promise<string[]> {
  const stateDir = path.dirname(lab.rootPasswordFile);
  const netns = (await exec("ip", ["netns", "list"])).stdout.split("\n").filter((l) => l.startsWith("splab-"));
  const links = (await exec("ip", ["-o", "link", "show"])).stdout.split("\n").filter((l) => /: splab-/.test(l));
  const mounts = (await readFile("/proc/self/mountinfo", "utf8")).split("\n").filter((l) => l.includes(stateDir));
  const processes = (await exec("ps", ["-eo", "pid=,args="])).stdout
    .split("\n")
    .filter((l) => l.includes(`${stateDir}/`));
  return [...netns, ...links, ...mounts, ...processes];
}

describe("a re-created lab", () => {
  it("keeps each host's SSH host keys across lab:down and lab:up, and lab:down leaves nothing behind", async () => {
    const before = await hostKeys();
    for (const name of ["ct", "c1", "c2"]) expect(before[name].map((k) => k.split(" ")[0])).toEqual(["ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa"]);
    const all = Object.values(before).flat();
    expect(new Set(all).size).toBe(all.length); // no two hosts share a key

    const downSeconds = await labCommand("down");
    expect(await readLabState()).toBeNull();
    expect(await leftovers()).toEqual([]);
    const upSeconds = await labCommand("up");
    console.log(`lab:down took ${downSeconds.toFixed(1)} s, lab:up ${upSeconds.toFixed(1)} s`);

    expect(await readLabState()).not.toBeNull();
    expect(await hostKeys()).toEqual(before);
  });
});
