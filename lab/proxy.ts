// The only way out of the lab: tinyproxy on the management bridge address, open to the lab
// subnet only and forwarding only to the Debian mirror hosts (ip_forward stays 0).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { labStatePaths, type LabConfig } from "./config";
import { LabError } from "./errors";
import { isListening, pollUntil } from "./probe";
import { runningPid, startDetached, stopTracked, type TrackedProcess } from "./processes";

export interface ProxySettings {
  listen: string;
  port: number;
  allow: string;
  filterFile: string;
}

/** Pure: tinyproxy.conf. No LogFile/PidFile: it runs in the foreground, logging to stderr. */
export function renderTinyproxyConfig(s: ProxySettings): string {
  return [
    "# Written by StackPilot's lab (lab/proxy.ts); rewritten at every lab:up.",
    "User nobody",
    "Group nogroup",
    `Listen ${s.listen}`,
    `Port ${s.port}`,
    `Allow ${s.allow}`,
    "Timeout 600",
    "MaxClients 64",
    "LogLevel Notice",
    "DisableViaHeader Yes",
    "ConnectPort 443",
    `Filter "${s.filterFile}"`,
    "FilterType ere",
    "FilterURLs Off",
    "FilterDefaultDeny Yes",
    "",
  ].join("\n");
}

/** Pure: the allow-list of hostnames, one anchored extended regex per line. */
export function renderHostFilter(hostnames: string[]): string {
  return hostnames.map((h) => `^${h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$\n`).join("");
}

function proxyFiles(config: LabConfig) {
  const dir = labStatePaths(config.stateDir).proxyDir;
  return { dir, conf: path.join(dir, "tinyproxy.conf"), filter: path.join(dir, "filter"), log: path.join(dir, "tinyproxy.log") };
}

function trackedProxy(config: LabConfig): TrackedProcess {
  const files = proxyFiles(config);
  return { label: "tinyproxy", pidFile: path.join(labStatePaths(config.stateDir).runDir, "tinyproxy.pid"), marker: files.conf };
}

export function proxyUrl(config: LabConfig): string {
  return `http://${config.management.gateway}:${config.proxyPort}/`;
}

export function proxyPid(config: LabConfig): Promise<number | null> {
  return runningPid(trackedProxy(config));
}

/** Starts tinyproxy unless ours is already running; the bridge address must exist first. */
export async function ensureProxy(config: LabConfig, mirrorHosts: string[]): Promise<"started" | "running"> {
  const tracked = trackedProxy(config);
  if (await runningPid(tracked)) return "running";
  const files = proxyFiles(config);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  await writeFile(files.filter, renderHostFilter(mirrorHosts));
  await writeFile(
    files.conf,
    renderTinyproxyConfig({
      listen: config.management.gateway,
      port: config.proxyPort,
      allow: config.management.subnet,
      filterFile: files.filter,
    }),
  );
  await startDetached(tracked, "tinyproxy", ["-d", "-c", files.conf], files.log);
  // Listening *and* still alive: if another program holds the port, tinyproxy exits at once.
  const listening = await pollUntil(
    async () =>
      (await isListening(config.management.gateway, config.proxyPort, 500)) && (await runningPid(tracked)) ? true : null,
    5000,
    100,
  );
  if (!listening) {
    throw new LabError(
      `tinyproxy did not start listening on ${config.management.gateway}:${config.proxyPort}`,
      `see ${files.log}; another program may hold the port (set LAB_PROXY_PORT)`,
    );
  }
  return "started";
}

export function stopProxy(config: LabConfig): Promise<boolean> {
  return stopTracked(trackedProxy(config), 5000);
}
