// The running lab's description, written by lab:up and read by anyone who wants to use the lab
// (the web app's "Use the local lab", the integration tests). It never contains the password,
// only where to find it.
import type { LabEnv } from "./config";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { labStatePaths, stateDirFromEnv } from "./config";

const labHostSchema = z.object({
  name: z.string(),
  role: z.enum(["controller", "compute"]),
  managementIp: z.string(),
  /** Address on the second (provider/"NAT") network, or null when LAB_PROVIDER_SUBNET=none. */
  providerIp: z.string().nullable(),
  sshPort: z.number().int(),
});

const labStateSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  managementSubnet: z.string(),
  providerSubnet: z.string().nullable(),
  /** The management bridge's address in the root namespace; the apt proxy listens here. */
  bridgeAddress: z.string(),
  proxyUrl: z.string(),
  rootUser: z.literal("root"),
  /** File (mode 0600) holding the hosts' root password; use `sshpass -f` or readLabRootPassword(). */
  rootPasswordFile: z.string(),
  hosts: z.array(labHostSchema),
});

export type LabHost = z.infer<typeof labHostSchema>;
export type LabState = z.infer<typeof labStateSchema>;

/** Where lab.json lives: $LAB_STATE_DIR/lab.json (default /var/lib/stackpilot-lab/lab.json). */
export function labStateFile(env: LabEnv = process.env): string {
  return labStatePaths(stateDirFromEnv(env)).stateFile;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The lab as lab:up left it, or null when the lab is down (lab:down removes the file). */
export function readLabState(env: LabEnv = process.env): Promise<LabState | null> {
  return readLabStateAt(labStateFile(env));
}

export async function readLabStateAt(file: string): Promise<LabState | null> {
  const text = await readIfExists(file);
  if (text === null) return null;
  const parsed = labStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a lab state file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The hosts' root password, or null before the first lab:up. It persists across lab:down. */
export async function readLabRootPassword(env: LabEnv = process.env): Promise<string | null> {
  const text = await readIfExists(labStatePaths(stateDirFromEnv(env)).rootPasswordFile);
  return text?.trim() || null;
}

/** Written atomically with mode 0600: readers never see half a file. */
export async function writeLabState(stateDir: string, state: LabState): Promise<void> {
  const file = labStatePaths(stateDir).stateFile;
  await rm(`${file}.tmp`, { force: true }); // so the mode below applies to a fresh file
  await writeFile(`${file}.tmp`, `${JSON.stringify(labStateSchema.parse(state), null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function removeLabState(stateDir: string): Promise<void> {
  await rm(labStatePaths(stateDir).stateFile, { force: true });
}
