import { describe, expect, it } from "vitest";
import type { LabState } from "@/lab/state";
import { planSettingsSchema, type PlanView } from "@/lib/plan/planView";
import { tutorialHosts } from "@/lib/plan/tutorialTopology";
import { localLabPlanUpdate } from "./localLabPlan";

const lab: LabState = {
  version: 1,
  startedAt: "2026-11-27T00:00:00Z",
  managementSubnet: "10.123.0.0/24",
  providerSubnet: null,
  bridgeAddress: "10.123.0.1",
  proxyUrl: "http://10.123.0.1:8888",
  rootUser: "root",
  rootPasswordFile: "/var/lib/stackpilot-lab/root-password",
  hosts: [
    { name: "ct", role: "controller", managementIp: "10.123.0.110", providerIp: null, sshPort: 22 },
    { name: "c1", role: "compute", managementIp: "10.123.0.120", providerIp: "10.124.0.120", sshPort: 22 },
  ],
};

describe("localLabPlanUpdate", () => {
  it("points the plan at the lab, keeps ids of hosts with the same name, and sets one root login", () => {
    let n = 0;
    const hosts = tutorialHosts(() => `old${++n}`).map((h) => ({ ...h, passwordSet: false, privateKeySet: false }));
    const plan: PlanView = { id: "p", name: "x", profile: "centos7-train", wizardStep: "hosts", settings: planSettingsSchema.parse({ credentialMode: "perHost" }), sharedSecrets: { passwordSet: false, privateKeySet: false }, serviceSecrets: {} as PlanView["serviceSecrets"], hosts, updatedAt: "" };
    const update = localLabPlanUpdate(plan, lab, `r'o"o$t`, () => "new");
    expect(update.profile).toBe("debian12-zed");
    expect(update.hosts!.map((h) => [h.id, h.name, h.managementIp, h.natIp])).toEqual([
      ["old1", "ct", "10.123.0.110", "10.123.0.110"],
      ["old2", "c1", "10.123.0.120", "10.124.0.120"],
    ]);
    expect(update.settings).toMatchObject({ credentialMode: "shared", sharedSshUser: "root", sharedAuthMethod: "password" });
    expect(update.secrets).toEqual({ "ssh.shared.password": `r'o"o$t` });
  });
});
