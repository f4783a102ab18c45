import { describe, expect, it } from "vitest";
import { MESSAGES } from "../i18n/messages";
import { translate } from "../i18n/translate";
import type { HostView, PlanView } from "./planView";
import { planSettingsSchema } from "./planView";
import type { PlaybookScope } from "../playbook/scope";
import { ALL_SERVICE_SECRETS, COMPUTE_SERVICE_SECRETS, SERVICE_SECRETS } from "../playbook/serviceSecrets";
import { tutorialHosts } from "./tutorialTopology";
import { shownValue, validatePlan } from "./validatePlan";

let n = 0;
const allServiceSecrets = Object.fromEntries(SERVICE_SECRETS.map((name) => [name, true])) as PlanView["serviceSecrets"];

function plan(change: (hosts: HostView[]) => HostView[] = (h) => h): Pick<PlanView, "settings" | "sharedSecrets" | "serviceSecrets" | "hosts"> & { scope?: PlaybookScope } {
  const hosts = tutorialHosts(() => `h${++n}`).map((h) => ({ ...h, passwordSet: false, privateKeySet: false }));
  return { settings: planSettingsSchema.parse({}), sharedSecrets: { passwordSet: true, privateKeySet: false }, serviceSecrets: allServiceSecrets, hosts: change(hosts) };
}
const messages = (p: ReturnType<typeof plan>) => validatePlan(p).map((i) => `${i.path}: ${i.message}`);
const codes = (p: ReturnType<typeof plan>) => validatePlan(p).map((i) => `${i.path}: ${i.code}`);

/** Plans that break every rule between them, to check every issue at once. */
function brokenEverywhere(): ReturnType<typeof plan>[] {
  const hosts = plan((h) => [
    { ...h[0], name: "", managementIp: "", natIp: "10.0.0.256", sshPort: 0 },
    { ...h[1], name: "c_1", role: "controller", natIp: "" },
    { ...h[2], name: "C_1", role: "controller", managementIp: h[1].managementIp, natIp: "10.0.0.256", sshUser: "", authMethod: "key" },
    { ...h[2], id: "h-extra", name: "", managementIp: "10.0.0.9", natIp: "10.0.1.9", sshUser: "Bad User", authMethod: "key" },
    { ...h[2], id: "h-extra2", name: "c9", managementIp: "10.0.0.10", natIp: "10.0.1.10" },
  ]);
  const noServiceSecrets = Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, false])) as PlanView["serviceSecrets"];
  const perHost = { ...hosts, serviceSecrets: noServiceSecrets };
  perHost.settings = { ...perHost.settings, scope: "compute", credentialMode: "perHost", ntpServer: "a b", managementCidr: "x", regionName: "", imageName: "", centosRepository: "custom", centosRepositoryUrl: "ftp://x" };
  const empty = { ...plan(() => []), sharedSecrets: { passwordSet: false, privateKeySet: false } };
  const sharedKey = { ...plan((h) => h.map((x) => ({ ...x, role: "compute" }))), sharedSecrets: { passwordSet: false, privateKeySet: false } };
  sharedKey.settings = { ...sharedKey.settings, sharedAuthMethod: "key" };
  const networksA = computePlan({ providerCidr: "10.0.0.0/24", providerGateway: "10.1.0.1", floatingIpStart: "10.0.0.250", floatingIpEnd: "10.0.0.240", selfServiceCidr: "10.0.0.0/16" });
  const networksB = computePlan({ providerCidr: "10.0.0.0/25", floatingIpStart: "10.0.0.1", floatingIpEnd: "10.0.0.200", selfServiceCidr: "192.168.100.0/24" }, (h) => [{ ...h[0], natIp: "10.0.0.5" }, h[1], h[2]]);
  const centosWithoutImage = { ...computePlan(), profile: "centos7-train" as const };
  return [perHost, empty, sharedKey, networksA, networksB, centosWithoutImage];
}

/** A compute-scope plan of the tutorial's hosts with every secret set, and the given network settings. */
function computePlan(networks: Partial<PlanView["settings"]> = {}, change?: (hosts: HostView[]) => HostView[]) {
  const p = { ...plan(change), serviceSecrets: Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, true])) as PlanView["serviceSecrets"] };
  return { ...p, settings: { ...p.settings, scope: "compute" as const, ...networks } };
}

describe("validatePlan", () => {
  it("accepts the tutorial's topology with a shared password", () => {
    expect(validatePlan(plan())).toEqual([]);
  });

  it("asks for the compute scope's secrets only in a compute-scope plan, each on its own field", () => {
    const tutorialOnly = plan();
    const inScope = <T extends { settings: PlanView["settings"] }>(p: T, scope: PlaybookScope): T => ({ ...p, settings: { ...p.settings, scope } });
    expect(validatePlan(inScope(tutorialOnly, "tutorial"))).toEqual([]);
    expect(codes(inScope(tutorialOnly, "compute"))).toEqual(COMPUTE_SERVICE_SECRETS.map((name) => `secrets.${name}: plan.issue.serviceSecretMissing.${name}`));
    const all = { ...tutorialOnly, serviceSecrets: Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, true])) as PlanView["serviceSecrets"] };
    expect(validatePlan(inScope(all, "compute"))).toEqual([]);
  });

  it("names the field and the value of a typo'd IP, with a code and params for the UI", () => {
    const issues = validatePlan(plan((h) => [{ ...h[0], managementIp: "192.168.100.1100" }, h[1], h[2]]));
    expect(issues).toEqual([
      {
        step: "hosts",
        path: "hosts.0.managementIp",
        code: "plan.issue.ipInvalid",
        params: { value: "192.168.100.1100" },
        message: expect.stringContaining('"192.168.100.1100" is not a valid IPv4 address'),
      },
    ]);
    expect(translate("zh-CN", issues[0].code, issues[0].params)).toBe("“192.168.100.1100”不是有效的 IPv4 地址（应为四个 0-255 的数字，例如 192.168.100.110）。");
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
    // An unnamed controller is named by its number, the same in every language.
    const [issue] = validatePlan(plan((h) => [{ ...h[0], name: "" }, { ...h[1], role: "controller" }, h[2]])).filter((i) => i.path === "hosts");
    expect(issue).toMatchObject({ code: "plan.issue.twoControllers", params: { names: "#1, c1" } });
    expect(translate("zh-CN", issue.code, issue.params)).toBe("只能有一台主机作为控制节点，现在 #1, c1 都是控制节点。");
  });

  it("rejects invalid host names and ports out of range", () => {
    const out = messages(plan((h) => [{ ...h[0], name: "ct_01" }, { ...h[1], sshPort: 70000 }, h[2]]));
    expect(out[0]).toMatch(/^hosts\.0\.name: "ct_01" is not a valid host name/);
    expect(out).toContain("hosts.1.sshPort: SSH port 70000 is out of range: use 1-65535.");
  });

  it("requires a password or key for the chosen login, shared or per host", () => {
    const shared = { ...plan(), sharedSecrets: { passwordSet: false, privateKeySet: false } };
    expect(validatePlan(shared)).toEqual([
      { step: "credentials", path: "shared.password", code: "plan.issue.sshPasswordMissing", params: {}, message: "Enter the SSH password." },
    ]);

    const perHost = plan((h) => [{ ...h[0], passwordSet: true }, { ...h[1], authMethod: "key" }, { ...h[2], sshUser: "", passwordSet: true }]);
    perHost.settings = { ...perHost.settings, credentialMode: "perHost" };
    expect(messages(perHost)).toEqual([
      "hosts.1.privateKey: Paste the private key for c1.",
      "hosts.2.sshUser: Enter the SSH user (root in the tutorial).",
    ]);
    const [keyIssue] = validatePlan(perHost);
    expect(keyIssue).toMatchObject({ code: "plan.issue.privateKeyMissingFor", params: { host: "c1" } });
    expect(translate("zh-CN", keyIssue.code, keyIssue.params)).toBe("请粘贴 c1 的私钥。");

    // A host without a name is named by its number, in the reader's language.
    const unnamed = plan((h) => [{ ...h[0], passwordSet: true }, { ...h[1], name: "" }, { ...h[2], passwordSet: true }]);
    unnamed.settings = { ...unnamed.settings, credentialMode: "perHost" };
    const issue = validatePlan(unnamed).find((i) => i.step === "credentials")!;
    expect(issue).toMatchObject({ path: "hosts.1.password", code: "plan.issue.sshPasswordMissingForNumber", params: { n: 2 }, message: "Enter the SSH password for host 2." });
    expect(translate("zh-CN", issue.code, issue.params)).toBe("请输入主机 2 的 SSH 密码。");
  });

  it("requires the six service passwords and valid options before a deployment", () => {
    const p = { ...plan(), serviceSecrets: { ...allServiceSecrets, RABBIT_PASS: false } };
    p.settings = { ...p.settings, ntpServer: "ntp server", managementCidr: "192.168.100.1/24", regionName: "Region One", imageName: "cirros;rm" };
    expect(messages(p)).toEqual([
      "secrets.RABBIT_PASS: Set the RabbitMQ password of the openstack user (RABBIT_PASS).",
      'settings.ntpServer: "ntp server" is not a host name or IPv4 address of a time server.',
      'settings.managementCidr: "192.168.100.1/24" is not a network like 192.168.100.0/24.',
      "settings.regionName: Use letters, digits, - and _ for the region name, starting with a letter or digit (RegionOne in the tutorial).",
      "settings.imageName: Use letters, digits, ., - and _ for the image name, starting with a letter or digit (cirros in the tutorial).",
    ]);
    expect(codes(p)).toEqual([
      "secrets.RABBIT_PASS: plan.issue.serviceSecretMissing.RABBIT_PASS",
      "settings.ntpServer: plan.issue.ntpInvalid",
      "settings.managementCidr: plan.issue.cidrInvalid",
      "settings.regionName: plan.issue.regionInvalid",
      "settings.imageName: plan.issue.imageInvalid",
    ]);
  });

  describe("the compute scope's networks", () => {
    const networkIssues = (p: ReturnType<typeof plan>) => validatePlan(p).filter((i) => i.path.startsWith("settings."));

    it("accepts what the install guide derives for the tutorial's hosts, and what a user types that fits", () => {
      expect(validatePlan(computePlan())).toEqual([]);
      const typed = { providerCidr: "192.168.158.0/24", providerGateway: "192.168.158.254", floatingIpStart: "192.168.158.10", floatingIpEnd: "192.168.158.99", selfServiceCidr: "10.200.0.0/16" };
      expect(validatePlan(computePlan(typed))).toEqual([]);
      // A one-address range is a range.
      expect(validatePlan(computePlan({ floatingIpStart: "192.168.158.50", floatingIpEnd: "192.168.158.50" }))).toEqual([]);
    });

    it("names the host whose second IP is in the floating range, on the range's field, in both languages", () => {
      const [issue, ...rest] = networkIssues(computePlan({ floatingIpStart: "192.168.158.100", floatingIpEnd: "192.168.158.115" }));
      expect(rest).toEqual([]);
      expect(issue).toMatchObject({ step: "passwords", path: "settings.floatingIpStart", code: "plan.issue.floatingHasHostIp", params: { start: "192.168.158.100", end: "192.168.158.115", hosts: "ct (192.168.158.110)" } });
      expect(issue.message).toBe("The floating IP range 192.168.158.100–192.168.158.115 contains the second IP of ct (192.168.158.110): Neutron would give that address to a VM. Choose a range no host uses.");
      expect(translate("zh-CN", issue.code, issue.params)).toBe("浮动 IP 范围 192.168.158.100–192.168.158.115 包含 ct (192.168.158.110) 的第二个 IP：Neutron 会把该地址分配给虚拟机。请选择没有主机使用的范围。");
      // Every host in it, an unnamed one by its number; the range's edges count.
      const all = networkIssues(computePlan({ floatingIpStart: "192.168.158.110", floatingIpEnd: "192.168.158.130" }, (h) => [h[0], { ...h[1], name: "" }, h[2]]));
      expect(all.map((i) => i.params.hosts)).toEqual(["ct (192.168.158.110), #2 (192.168.158.120), c2 (192.168.158.130)"]);
    });

    it("judges derived values too, on the field whose value fixes them", () => {
      // ct's second IP is in the derived .200-.249: typing a floating range fixes it.
      const derivedRange = computePlan({}, (h) => [{ ...h[0], natIp: "192.168.158.210" }, h[1], h[2]]);
      expect(codes(derivedRange)).toEqual(["settings.floatingIpStart: plan.issue.floatingHasHostIp"]);
      // A /25 provider network has no .200: both derived ends are outside it.
      expect(messages(computePlan({ providerCidr: "192.168.158.0/25" }))).toEqual([
        "settings.floatingIpStart: Floating IP 192.168.158.200 is not in the provider network 192.168.158.0/25.",
        "settings.floatingIpEnd: Floating IP 192.168.158.249 is not in the provider network 192.168.158.0/25.",
      ]);
      // The derived self-service network 172.16.1.0/24 on hosts whose second network is 172.16.0.0/16.
      const hosts172 = (h: HostView[]) => h.map((x, i) => ({ ...x, natIp: `172.16.0.${i + 10}` }));
      expect(codes(computePlan({ providerCidr: "172.16.0.0/16", floatingIpStart: "172.16.2.1", floatingIpEnd: "172.16.2.9" }, hosts172))).toEqual(["settings.selfServiceCidr: plan.issue.selfServiceOverlapsProvider"]);
    });

    it("keeps the gateway and the floating range inside the provider network, in order, apart from each other", () => {
      expect(messages(computePlan({ providerGateway: "192.168.100.1" }))).toEqual(["settings.providerGateway: The gateway 192.168.100.1 is not in the provider network 192.168.158.0/24."]);
      expect(codes(computePlan({ floatingIpStart: "192.168.158.220", floatingIpEnd: "192.168.158.210" }))).toEqual(["settings.floatingIpEnd: plan.issue.floatingRangeReversed"]);
      // A typed gateway inside the derived range: the gateway is what moves.
      expect(codes(computePlan({ providerGateway: "192.168.158.201" }))).toEqual(["settings.providerGateway: plan.issue.floatingHasGateway"]);
      // A typed range over the derived gateway (.1): the range is what moves.
      expect(messages(computePlan({ floatingIpStart: "192.168.158.1", floatingIpEnd: "192.168.158.9" }))).toEqual([
        "settings.floatingIpStart: The floating IP range 192.168.158.1–192.168.158.9 contains the gateway 192.168.158.1: Neutron would give it to a VM.",
      ]);
    });

    it("keeps the self-service network apart from the provider and management networks", () => {
      expect(messages(computePlan({ selfServiceCidr: "192.168.0.0/16" }))).toEqual([
        "settings.selfServiceCidr: The self-service network 192.168.0.0/16 overlaps the provider network 192.168.158.0/24: choose a separate private range, like 172.16.1.0/24.",
        "settings.selfServiceCidr: The self-service network 192.168.0.0/16 overlaps the management network 192.168.100.0/24: choose a separate private range, like 172.16.1.0/24.",
      ]);
      // The management network as typed, not only as derived.
      expect(codes(computePlan({ managementCidr: "10.0.0.0/8", selfServiceCidr: "10.200.0.0/16" }))).toEqual(["settings.selfServiceCidr: plan.issue.selfServiceOverlapsManagement"]);
    });

    it("reports a malformed value once, on its field, and judges nothing against it", () => {
      expect(codes(computePlan({ providerCidr: "192.168.158.1/24" }))).toEqual(["settings.providerCidr: plan.issue.cidrInvalid"]);
      expect(codes(computePlan({ providerCidr: "10.0.0.0/24", selfServiceCidr: "10.0.0.0/33", floatingIpStart: "10.0.0.300", floatingIpEnd: "10.0.0.20" }))).toEqual([
        "settings.selfServiceCidr: plan.issue.cidrInvalid",
        "settings.floatingIpStart: plan.issue.ipInvalid",
      ]);
      // A controller's refused second IP is the Hosts page's to report; nothing derived from it is judged.
      expect(codes(computePlan({}, (h) => [{ ...h[0], natIp: "192.168.158.999" }, h[1], h[2]]))).toEqual(["hosts.0.natIp: plan.issue.ipInvalid"]);
    });

    it("does not check them in the tutorial's scope, where there are no VM networks", () => {
      const broken = computePlan({ providerCidr: "nonsense", floatingIpStart: "192.168.158.100", floatingIpEnd: "192.168.158.115" });
      expect(validatePlan({ ...broken, settings: { ...broken.settings, scope: "tutorial" } })).toEqual([]);
    });
  });

  describe("hostile values", () => {
    const hostile = [
      "; touch /tmp/canary",
      "$(touch /tmp/canary)",
      "`touch /tmp/canary`",
      "' ; touch /tmp/canary #",
      '" ; touch /tmp/canary #',
      "ok\ntouch /tmp/canary",
      "ok | touch /tmp/canary",
      "ok & touch /tmp/canary",
      "> /tmp/canary",
      "ünïcode-名",
      "a".repeat(10_000),
      "ok\0x",
      "-rf",
      ".hidden",
      " ",
    ];
    const fields: [string, (value: string) => ReturnType<typeof plan>][] = [
      ["hosts.0.name", (v) => plan((h) => [{ ...h[0], name: v }, h[1], h[2]])],
      ["hosts.1.managementIp", (v) => plan((h) => [h[0], { ...h[1], managementIp: v }, h[2]])],
      ["hosts.2.natIp", (v) => plan((h) => [h[0], h[1], { ...h[2], natIp: v }])],
      ["settings.sharedSshUser", (v) => withSettings({ sharedSshUser: v })],
      ["settings.ntpServer", (v) => withSettings({ ntpServer: v })],
      ["settings.managementCidr", (v) => withSettings({ managementCidr: v })],
      ["settings.regionName", (v) => withSettings({ regionName: v })],
      ["settings.imageName", (v) => withSettings({ imageName: v })],
      ["settings.centosRepositoryUrl", (v) => withSettings({ centosRepository: "custom", centosRepositoryUrl: v })],
      ...(["providerCidr", "providerGateway", "floatingIpStart", "floatingIpEnd", "selfServiceCidr"] as const).map((key) => [`settings.${key}`, (v: string) => computePlan({ [key]: v })] as [string, (value: string) => ReturnType<typeof plan>]),
    ];
    // Blank network values are derived, as a blank management network is.
    const blankMeansDerived = (path: string) => path === "settings.managementCidr" || /^settings\.(provider|floating|selfService)/.test(path);
    function withSettings(settings: Partial<PlanView["settings"]>) {
      const p = plan();
      return { ...p, settings: { ...p.settings, ...settings } };
    }
    const perHostUser = (v: string) => {
      const p = plan((h) => h.map((x, i) => ({ ...x, passwordSet: true, sshUser: i === 1 ? v : x.sshUser })));
      return { ...p, settings: { ...p.settings, credentialMode: "perHost" as const } };
    };

    it.each([...fields, ["hosts.1.sshUser", perHostUser] as const].flatMap(([path, make]) => hostile.filter((value) => !(blankMeansDerived(path) && value === " ")).map((value) => [path, value.length > 30 ? `${value.slice(0, 10)}… (${value.length})` : value, make, value] as const)))(
      "%s = %j is refused, with a message for that field",
      (path, _label, make, value) => {
        const issues = validatePlan(make(value)).filter((i) => i.path === path);
        expect(issues).toHaveLength(1);
        expect(issues[0].message).not.toBe("");
        // The message quotes the value shortened and without control characters.
        expect(issues[0].message.length).toBeLessThan(300);
        expect(issues[0].message).not.toMatch(/[\u0000-\u001f]/);
      },
    );

    it("takes a blank management network as the default (the controller's /24)", () => {
      expect(validatePlan(withSettings({ managementCidr: " " }))).toEqual([]);
    });

    it("quotes a long or multi-line value shortened and on one line", () => {
      expect(shownValue("a\nb\0c")).toBe("a\ufffdb\ufffdc");
      expect(shownValue("x".repeat(100))).toBe(`${"x".repeat(60)}…`);
    });

    it("still accepts what the tutorial uses", () => {
      expect(validatePlan(withSettings({ regionName: "RegionOne", imageName: "cirros-0.4.0.img", ntpServer: "ntp6.aliyun.com", managementCidr: "192.168.100.0/24" }))).toEqual([]);
      expect(validatePlan(withSettings({ centosRepository: "custom", centosRepositoryUrl: "http://mirror.example.org:8080/centos-vault/7.9.2009" }))).toEqual([]);
    });
  });

  it("asks a CentOS 7 compute cloud for an uploaded image (its VMs have no test guest to boot), and nothing of Debian's or the tutorial's", () => {
    const centos = { ...computePlan(), profile: "centos7-train" as const };
    expect(codes(centos)).toEqual(["settings.imageName: plan.issue.imageNeededForVms"]);
    const image = { fileName: "cirros-0.3.5-x86_64-disk.img", bytes: 13267968, sha256: "a".repeat(64), diskFormat: "qcow2", loginUser: "cirros", uploadedAt: "2026-12-08T00:00:00Z" };
    expect(validatePlan({ ...centos, uploadedImage: image })).toEqual([]);
    expect(validatePlan({ ...computePlan(), profile: "debian12-zed" })).toEqual([]);
    expect(validatePlan({ ...plan(), profile: "centos7-train" })).toEqual([]);
  });

  it("every issue's message is its code's English text, and its code has a Chinese text with the same placeholders", () => {
    const all = brokenEverywhere().flatMap(validatePlan);
    const seen = [...new Set(all.map((i) => i.code))].sort();
    expect(seen).toEqual(Object.keys(MESSAGES.en).filter((key) => key.startsWith("plan.issue.")).sort());
    for (const issue of all) {
      expect(issue.message, issue.code).toBe(translate("en", issue.code, issue.params));
      const zh = translate("zh-CN", issue.code, issue.params);
      expect(zh, issue.code).not.toBe(issue.message);
      expect(zh, issue.code).not.toMatch(/\{\w+\}/);
      expect(MESSAGES["zh-CN"][issue.code], issue.code).toBeTruthy();
    }
  });
});
