import { describe, expect, it } from "vitest";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import type { PlanSnapshot } from "@/lib/plan/planDiff";
import type { PlanView } from "@/lib/plan/planView";
import { snapshotPlan } from "../plans/planSnapshot";
import type { PlanForRun } from "../store/planStore";
import { virtTypesOf, withVirtTypes } from "./virtTypes";

const host = (id: string, role: "controller" | "compute") => ({ id, name: id, role, managementIp: "10.0.0.1", natIp: "", sshPort: 22, sshUser: "root", authMethod: "password" });
const view = { id: "p", profile: "debian12-zed", hosts: [host("ct", "controller"), host("c1", "compute"), host("c2", "compute")], settings: { scope: "compute", managementCidr: "", ntpServer: "", centosRepositoryUrl: "" } } as unknown as PlanView;
const plan = { view, secrets: new Map(), serviceSecrets: {}, secretValues: [], secretsSetAt: {} } as PlanForRun;

describe("a deployment's hypervisors", () => {
  it("are the host checks' decisions for the computes, recorded in the run's snapshot and read back by a resume and the outline", () => {
    // A decision for the controller (the check decides for every host) is not the controller's business.
    const decided = withVirtTypes(plan, new Map([["ct", "kvm"], ["c1", "kvm"]]));
    const snapshot = JSON.parse(snapshotPlan(decided.view).snapshot) as PlanSnapshot;
    expect(virtTypesOf(snapshot)).toEqual(new Map([["c1", "kvm"]]));
    expect(playbookInputFromPlan(snapshot).hosts.map((h) => h.virtType)).toEqual([undefined, "kvm", undefined]);
    // The plan itself is left as it was.
    expect(plan.view.hosts.some((h) => "virtType" in h)).toBe(false);
  });

  it("are none for a tutorial plan: it runs no hypervisor, and its snapshot stays as before", () => {
    const tutorial = { ...plan, view: { ...view, settings: { ...view.settings, scope: "tutorial" as const } } };
    expect(withVirtTypes(tutorial, new Map([["c1", "kvm"]]))).toBe(tutorial);
  });
});
