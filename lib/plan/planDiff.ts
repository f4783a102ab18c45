import { scopeOf } from "../playbook/scope";
import type { PlanView } from "./planView";
import { parseSshSecretKey } from "./secretKeys";

/** A run's record of its plan (see server/plans/planSnapshot.ts): no secret values, only when each was set. */
export type PlanSnapshot = Omit<PlanView, "updatedAt" | "wizardStep"> & { secretsSetAt?: Record<string, string> };

/** One difference between the plan a run ran and the plan now, worded for the operator. */
export type PlanChange = { what: string; before: string; after: string };

const SETTING_LABELS: Record<string, string> = {
  scope: "what to install",
  credentialMode: "SSH credentials",
  sharedSshUser: "SSH user",
  sharedAuthMethod: "SSH sign-in",
  ntpServer: "NTP server",
  managementCidr: "management network",
  centosRepository: "CentOS repository",
  centosRepositoryUrl: "CentOS repository URL",
  regionName: "region",
  imageName: "image name",
  providerCidr: "provider network",
  providerGateway: "provider network gateway",
  floatingIpStart: "first floating IP",
  floatingIpEnd: "last floating IP",
  selfServiceCidr: "self-service network",
};

/** Settings whose empty value means "derived from the hosts" (lib/playbook/networkOptions.ts), and a snapshot from before them had none. */
const DERIVED_WHEN_EMPTY = new Set(["providerCidr", "providerGateway", "floatingIpStart", "floatingIpEnd", "selfServiceCidr"]);

const HOST_FIELDS = ["name", "role", "managementIp", "natIp", "sshPort", "sshUser", "authMethod"] as const;

/**
 * What changed between two plan snapshots: hosts (matched by id), settings, profile and which
 * secrets were set again. Secret values are never known here, only that they changed.
 */
export function diffPlans(before: PlanSnapshot, after: PlanSnapshot): PlanChange[] {
  const changes: PlanChange[] = [];
  const add = (what: string, from: unknown, to: unknown, empty = "(empty)") => {
    if (String(from ?? "") !== String(to ?? "")) changes.push({ what, before: shown(from, empty), after: shown(to, empty) });
  };
  add("profile", before.profile, after.profile);
  // A snapshot from before scopes has none: it ran the tutorial's.
  const settingsOf = (snapshot: PlanSnapshot): Record<string, unknown> => ({ ...snapshot.settings, scope: scopeOf(snapshot.settings) });
  const [from, to] = [settingsOf(before), settingsOf(after)];
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) add(SETTING_LABELS[key] ?? key, from[key], to[key], DERIVED_WHEN_EMPTY.has(key) ? "(derived from the hosts)" : undefined);
  // Another file (by its digest) or another login user: the run sends and registers what the plan has now.
  const image = (snapshot: PlanSnapshot) => (snapshot.uploadedImage ? `${snapshot.uploadedImage.fileName} (${snapshot.uploadedImage.sha256.slice(0, 12)}…, login ${snapshot.uploadedImage.loginUser})` : "");
  add("uploaded image", image(before), image(after));
  const afterHosts = new Map(after.hosts.map((h) => [h.id, h]));
  for (const host of before.hosts) {
    const now = afterHosts.get(host.id);
    if (!now) changes.push({ what: `host ${host.name}`, before: "in the plan", after: "removed" });
    else for (const field of HOST_FIELDS) add(`${host.name}: ${field}`, host[field], now[field]);
  }
  const beforeIds = new Set(before.hosts.map((h) => h.id));
  for (const host of after.hosts) if (!beforeIds.has(host.id)) changes.push({ what: `host ${host.name}`, before: "not in the plan", after: "added" });

  const hostNames = new Map([...before.hosts, ...after.hosts].map((h) => [h.id, h.name]));
  const setBefore = before.secretsSetAt ?? {};
  const setAfter = after.secretsSetAt ?? {};
  for (const key of new Set([...Object.keys(setBefore), ...Object.keys(setAfter)])) {
    if (setBefore[key] === setAfter[key]) continue;
    const state = (at: string | undefined) => (at ? "set" : "not set");
    changes.push({ what: secretLabel(key, hostNames), before: state(setBefore[key]), after: setBefore[key] && setAfter[key] ? "changed" : state(setAfter[key]) });
  }
  return changes;
}

/** The hosts of a plan by id, to tell whether a run's step runs still match it. */
export function sameHosts(before: PlanSnapshot, after: PlanSnapshot): boolean {
  const ids = (plan: PlanSnapshot) => plan.hosts.map((h) => `${h.id}:${h.role}`).sort().join(",");
  return ids(before) === ids(after);
}

function secretLabel(key: string, hostNames: Map<string, string>): string {
  const ssh = parseSshSecretKey(key);
  if (ssh) {
    const kind = ssh.kind === "password" ? "SSH password" : "SSH private key";
    return ssh.owner.scope === "shared" ? `shared ${kind}` : `${kind} of ${hostNames.get(ssh.owner.hostId) ?? "a removed host"}`;
  }
  const service = /^service\.(.+)$/.exec(key);
  return service ? `password ${service[1]}` : key;
}

function shown(value: unknown, empty = "(empty)"): string {
  return value === undefined || value === null || value === "" ? empty : String(value);
}
