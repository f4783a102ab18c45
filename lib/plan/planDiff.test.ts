import { describe, expect, it } from "vitest";
import { diffPlans, sameHosts, type PlanSnapshot } from "./planDiff";
import { SERVICE_SECRETS } from "../playbook/serviceSecrets";

function snapshot(): PlanSnapshot {
  const host = (id: string, name: string, role: "controller" | "compute", ip: string) => ({
    id, name, role, managementIp: ip, natIp: "", sshPort: 22, sshUser: "root", authMethod: "password" as const, passwordSet: false, privateKeySet: false,
  });
  return {
    id: "p1",
    name: "lab",
    profile: "centos7-train",
    settings: { scope: "tutorial", credentialMode: "shared", sharedSshUser: "root", sharedAuthMethod: "password", ntpServer: "ntp6.aliyun.com", managementCidr: "", centosRepository: "vault", centosRepositoryUrl: "", regionName: "RegionOne", imageName: "cirros", providerCidr: "", providerGateway: "", floatingIpStart: "", floatingIpEnd: "", selfServiceCidr: "" },
    sharedSecrets: { passwordSet: true, privateKeySet: false },
    serviceSecrets: Object.fromEntries(SERVICE_SECRETS.map((n) => [n, true])) as PlanSnapshot["serviceSecrets"],
    hosts: [host("h1", "ct", "controller", "192.168.100.110"), host("h2", "c1", "compute", "192.168.100.120")],
    secretsSetAt: { "service.KEYSTONE_DBPASS": "2026-11-27T10:00:00.000Z", "ssh.shared.password": "2026-11-27T10:00:00.000Z" },
  } as PlanSnapshot;
}

describe("diffPlans", () => {
  it("finds nothing in an unchanged plan", () => {
    expect(diffPlans(snapshot(), snapshot())).toEqual([]);
  });

  it("names a changed setting and a changed host field with both values", () => {
    const after = snapshot();
    after.settings.ntpServer = "ntp.example.org";
    after.hosts[1].managementIp = "192.168.100.121";
    expect(diffPlans(snapshot(), after)).toEqual([
      { what: "NTP server", before: "ntp6.aliyun.com", after: "ntp.example.org" },
      { what: "c1: managementIp", before: "192.168.100.120", after: "192.168.100.121" },
    ]);
  });

  it("names the compute scope's networks, an empty one as derived; a snapshot from before them has them derived", () => {
    const after = snapshot();
    after.settings.providerCidr = "10.9.8.0/24";
    after.settings.floatingIpEnd = "10.9.8.99";
    expect(diffPlans(snapshot(), after)).toEqual([
      { what: "provider network", before: "(derived from the hosts)", after: "10.9.8.0/24" },
      { what: "last floating IP", before: "(derived from the hosts)", after: "10.9.8.99" },
    ]);
    const old = snapshot();
    for (const key of ["providerCidr", "providerGateway", "floatingIpStart", "floatingIpEnd", "selfServiceCidr"] as const) delete (old.settings as Partial<PlanSnapshot["settings"]>)[key];
    expect(diffPlans(old, snapshot())).toEqual([]);
    const typed = snapshot();
    typed.settings.selfServiceCidr = "10.200.0.0/16";
    expect(diffPlans(old, typed)).toEqual([{ what: "self-service network", before: "(derived from the hosts)", after: "10.200.0.0/16" }]);
  });

  it("reads a snapshot from before scopes as the tutorial's, and names a changed scope", () => {
    const old = snapshot();
    delete (old.settings as Partial<PlanSnapshot["settings"]>).scope;
    expect(diffPlans(old, snapshot())).toEqual([]);
    const compute = snapshot();
    compute.settings.scope = "compute";
    expect(diffPlans(old, compute)).toEqual([{ what: "what to install", before: "tutorial", after: "compute" }]);
  });

  it("names an uploaded image that came, changed or went (an image is no setting: a snapshot without one has none)", () => {
    const cirros = { fileName: "cirros.img", bytes: 13_267_968, sha256: "ab".repeat(32), diskFormat: "qcow2", loginUser: "cirros", uploadedAt: "2026-12-08T00:00:00.000Z" };
    const withImage = { ...snapshot(), uploadedImage: cirros };
    expect(diffPlans(snapshot(), { ...snapshot(), uploadedImage: null })).toEqual([]);
    expect(diffPlans(snapshot(), withImage)).toEqual([{ what: "uploaded image", before: "(empty)", after: "cirros.img (abababababab…, login cirros)" }]);
    expect(diffPlans(withImage, { ...withImage, uploadedImage: { ...cirros, sha256: "cd".repeat(32) } })[0]).toMatchObject({ after: "cirros.img (cdcdcdcdcdcd…, login cirros)" });
    expect(diffPlans(withImage, { ...withImage, uploadedImage: { ...cirros, uploadedAt: "2026-12-09T00:00:00.000Z" } })).toEqual([]);
  });

  it("says a password changed without ever knowing its value", () => {
    const after = snapshot();
    after.secretsSetAt = { ...after.secretsSetAt, "service.KEYSTONE_DBPASS": "2026-11-27T11:00:00.000Z", "service.GLANCE_PASS": "2026-11-27T11:00:00.000Z" };
    expect(diffPlans(snapshot(), after)).toEqual([
      { what: "password KEYSTONE_DBPASS", before: "set", after: "changed" },
      { what: "password GLANCE_PASS", before: "not set", after: "set" },
    ]);
  });

  it("reports added and removed hosts, and sameHosts tells the host set changed", () => {
    const after = snapshot();
    after.hosts = [after.hosts[0], { ...after.hosts[1], id: "h3", name: "c2" }];
    expect(diffPlans(snapshot(), after)).toEqual([
      { what: "host c1", before: "in the plan", after: "removed" },
      { what: "host c2", before: "not in the plan", after: "added" },
    ]);
    expect(sameHosts(snapshot(), after)).toBe(false);
    expect(sameHosts(snapshot(), snapshot())).toBe(true);
  });
});
