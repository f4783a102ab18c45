import { describe, expect, it } from "vitest";
import type { HostView, PlanView } from "./planView";
import { planSettingsSchema } from "./planView";
import { SERVICE_SECRETS } from "../playbook/serviceSecrets";
import { tutorialHosts } from "./tutorialTopology";
import { validatePlan } from "./validatePlan";

let n = 0;
const allServiceSecrets = Object.fromEntries(SERVICE_SECRETS.map((name) => [name, true])) as PlanView["serviceSecrets"];

function plan(change: (hosts: HostView[]) => HostView[] = (h) => h): Pick<PlanView, "settings" | "sharedSecrets" | "serviceSecrets" | "hosts"> {
  const hosts = tutorialHosts(() => `h${++n}`).map((h) => ({ ...h, passwordSet: false, privateKeySet: false }));
  return { settings: planSettingsSchema.parse({}), sharedSecrets: { passwordSet: true, privateKeySet: false }, serviceSecrets: allServiceSecrets, hosts: change(hosts) };
}
const messages = (p: ReturnType<typeof plan>) => validatePlan(p).map((i) => `${i.path}: ${i.message}`);

describe("validatePlan", () => {
  it("accepts the tutorial's topology with a shared password", () => {
    expect(validatePlan(plan())).toEqual([]);
  });

  it("names the field and the value of a typo'd IP", () => {
    const issues = validatePlan(plan((h) => [{ ...h[0], managementIp: "192.168.100.1100" }, h[1], h[2]]));
    expect(issues).toEqual([
      { step: "hosts", path: "hosts.0.managementIp", message: expect.stringContaining('"192.168.100.1100" is not a valid IPv4 address') },
    ]);
  });

  it("flags duplicate names (case-insensitive) and duplicate IPs on the later host", () => {
    const out = messages(plan((h) => [h[0], { ...h[1], name: "CT" }, { ...h[2], managementIp: h[0].managementIp }]));
    expect(out).toContain('hosts.1.name: Host name "ct" is used twice.');
    expect(out).toContain("hosts.2.managementIp: Management IP 192.168.100.110 is used by two hosts.");
  });

  it("allows the same last octet on the two networks (the tutorial's c1 is .120 on both)", () => {
    expect(messages(plan())).toEqual([]);
  });

  it("requires exactly one controller", () => {
    expect(messages(plan((h) => h.map((x) => ({ ...x, role: "compute" }))))).toContain("hosts: Choose one host as the controller.");
    expect(messages(plan((h) => h.map((x) => ({ ...x, role: "controller" }))))[0]).toMatch(/Only one host can be the controller; ct, c1, c2 are/);
    expect(messages(plan(() => []))).toContain("hosts: Add at least one host: the controller.");
  });

  it("rejects invalid host names and ports out of range", () => {
    const out = messages(plan((h) => [{ ...h[0], name: "ct_01" }, { ...h[1], sshPort: 70000 }, h[2]]));
    expect(out[0]).toMatch(/^hosts\.0\.name: "ct_01" is not a valid host name/);
    expect(out).toContain("hosts.1.sshPort: SSH port 70000 is out of range: use 1-65535.");
  });

  it("requires a password or key for the chosen login, shared or per host", () => {
    const shared = { ...plan(), sharedSecrets: { passwordSet: false, privateKeySet: false } };
    expect(validatePlan(shared)).toEqual([{ step: "credentials", path: "shared.password", message: "Enter the SSH password." }]);

    const perHost = plan((h) => [{ ...h[0], passwordSet: true }, { ...h[1], authMethod: "key" }, { ...h[2], sshUser: "" , passwordSet: true }]);
    perHost.settings = { ...perHost.settings, credentialMode: "perHost" };
    expect(messages(perHost)).toEqual([
      "hosts.1.privateKey: Paste the private key for c1.",
      "hosts.2.sshUser: Enter the SSH user (root in the tutorial).",
    ]);
  });

  it("requires the six service passwords and valid options before a deployment", () => {
    const p = { ...plan(), serviceSecrets: { ...allServiceSecrets, RABBIT_PASS: false } };
    p.settings = { ...p.settings, ntpServer: "ntp server", managementCidr: "192.168.100.1/24", regionName: "Region One", imageName: "cirros;rm" };
    expect(messages(p)).toEqual([
      "secrets.RABBIT_PASS: Set the RabbitMQ password of the openstack user (RABBIT_PASS).",
      'settings.ntpServer: "ntp server" is not a host name or IPv4 address of a time server.',
      'settings.managementCidr: "192.168.100.1/24" is not a network like 192.168.100.0/24.',
      "settings.regionName: Use letters, digits, - and _ for the region name (RegionOne in the tutorial).",
      "settings.imageName: Use letters, digits, ., - and _ for the image name (cirros in the tutorial).",
    ]);
  });
});
