import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { PLAYBOOK_SCOPES } from "../playbook/scope";
import { controllerServices, escapeXml, planServices, topologyDescription, topologySvg, TUTORIAL_CONTROLLER_SERVICES, type TopologyInput } from "./topologySvg";

type XmlElement = { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, name: string) =>
    name.startsWith("#x") ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith("#") ? String.fromCodePoint(Number(name.slice(1))) : ENTITIES[name],
  );
}

/**
 * A strict reader for the XML this module writes (elements, attributes, text; no comments,
 * CDATA or doctype): throws where a real parser would call the document not well-formed.
 */
function parseXml(xml: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${at}: ${xml.slice(at, at + 40)}`);
  };
  const checkText = (raw: string) => {
    if (/[<]/.test(raw)) fail("raw < in text");
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(raw)) fail("bare & in text");
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(raw)) fail("control character");
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z][\w:.-]*)/.exec(xml.slice(at)) ?? fail("expected an element");
    at += open[0].length;
    const node: XmlElement = { name: open[1], attributes: {}, children: [], text: "" };
    for (;;) {
      const attr = /^\s+([A-Za-z][\w:.-]*)="([^"]*)"/.exec(xml.slice(at));
      if (!attr) break;
      if (attr[1] in node.attributes) fail(`attribute ${attr[1]} twice`);
      checkText(attr[2]);
      node.attributes[attr[1]] = decode(attr[2]);
      at += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(at)) ?? fail("expected > or />");
    at += end[0].length;
    if (end[1] === "/") return node;
    for (;;) {
      const next = xml.indexOf("<", at);
      if (next === -1) fail(`unclosed <${node.name}>`);
      const raw = xml.slice(at, next);
      checkText(raw);
      node.text += decode(raw);
      at = next;
      if (xml.startsWith("</", at)) {
        const close = /^<\/([A-Za-z][\w:.-]*)\s*>/.exec(xml.slice(at)) ?? fail("bad end tag");
        if (close[1] !== node.name) fail(`</${close[1]}> closes <${node.name}>`);
        at += close[0].length;
        return node;
      }
      node.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(at).trim() !== "") fail("content after the root element");
  return root;
}

function all(node: XmlElement): XmlElement[] {
  return [node, ...node.children.flatMap(all)];
}

const texts = (root: XmlElement) => all(root).filter((e) => e.name === "text").map((e) => e.text);

const LABELS = { controller: "controller", compute: "compute", management: "management network", provider: "provider network" };

const TUTORIAL: TopologyInput["hosts"] = [
  { name: "ct", role: "controller", managementIp: "192.168.100.110", natIp: "192.168.158.110" },
  { name: "c1", role: "compute", managementIp: "192.168.100.120", natIp: "192.168.158.120" },
  { name: "c2", role: "compute", managementIp: "192.168.100.130", natIp: "192.168.158.130" },
];

describe("topologySvg", () => {
  it("is one well-formed SVG element with every host, its role, both its IPs and its services", () => {
    const svg = topologySvg({ hosts: TUTORIAL, services: planServices({ scope: "tutorial", hosts: TUTORIAL }) }, LABELS);
    const root = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(root.attributes.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(Number(root.attributes.width)).toBeGreaterThan(0);
    expect(root.attributes.viewBox).toBe(`0 0 ${root.attributes.width} ${root.attributes.height}`);
    const shown = texts(root);
    for (const host of TUTORIAL) {
      expect(shown).toContain(host.name);
      expect(shown).toContain(host.managementIp);
      expect(shown).toContain(host.natIp);
    }
    expect(shown.filter((t) => t === "controller")).toHaveLength(1);
    expect(shown.filter((t) => t === "compute")).toHaveLength(2);
    expect(shown.filter((t) => t === "chrony client")).toHaveLength(2);
    for (const service of TUTORIAL_CONTROLLER_SERVICES) expect(shown).toContain(service);
    expect(shown).toContain("management network");
    expect(shown).toContain("provider network");
    // The accessible name says it all in words too.
    const title = root.children.find((c) => c.name === "title")!;
    expect(title.text).toContain("ct (controller): management network 192.168.100.110, provider network 192.168.158.110");
  });

  it("needs nothing from outside: no links, images, fonts, scripts or styles to fetch", () => {
    const svg = topologySvg({ hosts: TUTORIAL, services: planServices({ scope: "tutorial", hosts: TUTORIAL }) }, LABELS);
    const names = new Set(all(parseXml(svg)).map((e) => e.name));
    for (const forbidden of ["image", "use", "script", "foreignObject", "style", "a", "link"]) expect(names.has(forbidden)).toBe(false);
    expect(svg).not.toMatch(/href|url\(|@import|@font-face|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
  });

  it("escapes every text: names, services and labels cannot break out of the picture", () => {
    const hostile = `<script>alert("x")</script> & 'quoted' ]]>`;
    const hosts = [
      { name: `ct&<b>`, role: "controller", managementIp: `10.0.0.1"/><x a="`, natIp: "" },
      { name: "c'1", role: "compute", managementIp: "10.0.0.2", natIp: "10.1.0.2" },
    ];
    const svg = topologySvg({ hosts, services: { "ct&<b>": [hostile, "bell\u0007 char"], "c'1": [] } }, { ...LABELS, management: "管理网络 <m>", provider: "提供者网络 & p" });
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b>");
    const root = parseXml(svg);
    expect(all(root).map((e) => e.name).every((n) => ["svg", "title", "rect", "line", "circle", "path", "text"].includes(n))).toBe(true);
    const shown = texts(root);
    expect(shown).toContain("ct&<b>");
    expect(shown).toContain("c'1");
    expect(shown).toContain("bell char");
    expect(shown.some((t) => t.startsWith(`<script>alert("x")`))).toBe(true);
    expect(shown).toContain("管理网络 <m>");
    expect(shown).toContain("提供者网络 & p");
    // A missing address shows as a dash, a host without services too.
    expect(shown.filter((t) => t === "—").length).toBe(2);
  });

  it("draws the controller first, however the hosts come, and grows with the number of hosts", () => {
    const hosts = [...TUTORIAL].reverse();
    const shown = texts(parseXml(topologySvg({ hosts, services: {} }, LABELS)));
    expect(shown.indexOf("ct")).toBeLessThan(shown.indexOf("c2"));
    const five = [TUTORIAL[0], ...["a", "b", "c", "d", "e"].map((x, i) => ({ name: `node-${x}`, role: "compute", managementIp: `10.0.0.${i + 2}`, natIp: `10.1.0.${i + 2}` }))];
    const small = parseXml(topologySvg({ hosts: TUTORIAL, services: {} }, LABELS));
    const large = parseXml(topologySvg({ hosts: five, services: {} }, LABELS));
    expect(Number(large.attributes.width)).toBeGreaterThan(Number(small.attributes.width));
  });

  it("cuts an overlong name with an ellipsis instead of running out of its box", () => {
    const long = "a-very-long-host-name-that-goes-on-and-on-and-on-and-on-and-on.example.org";
    const shown = texts(parseXml(topologySvg({ hosts: [{ name: long, role: "controller", managementIp: "10.0.0.1", natIp: "10.1.0.1" }], services: {} }, LABELS)));
    expect(shown.some((t) => t.endsWith("…") && long.startsWith(t.slice(0, -1)))).toBe(true);
  });
});

describe("topologySvg of the compute scope's networks", () => {
  const networks = { providerCidr: "192.168.158.0/24", floatingIpStart: "192.168.158.200", floatingIpEnd: "192.168.158.249", selfServiceCidr: "172.16.1.0/24" };
  const services = planServices({ scope: "compute", hosts: TUTORIAL });

  it("draws the flat provider network with its CIDR and floating IPs, the VXLAN self-service network, and the agents on each host", () => {
    const root = parseXml(topologySvg({ hosts: TUTORIAL, services, networks }, LABELS));
    const shown = texts(root);
    expect(shown).toContain("flat 192.168.158.0/24 · floating IPs 192.168.158.200 – 192.168.158.249");
    expect(shown).toContain("Self-service network");
    expect(shown.find((t) => t.startsWith("VXLAN 172.16.1.0/24"))).toMatch(/tunnelled over the management network/);
    // Each host still hangs off the provider network by its second NIC.
    for (const host of TUTORIAL) expect(shown).toContain(host.natIp);
    expect(shown.filter((t) => t === "neutron-linuxbridge-agent")).toHaveLength(3);
    for (const agent of ["Neutron server :9696", "neutron-l3-agent", "neutron-dhcp-agent", "neutron-metadata-agent"]) expect(shown.filter((t) => t === agent)).toHaveLength(1);
    // The dashed self-service line lies below the provider network's.
    const lines = all(root).filter((e) => e.name === "line" && ["3", "4"].includes(e.attributes["stroke-width"]));
    expect(lines.map((l) => Number(l.attributes.y1))).toEqual([...lines.map((l) => Number(l.attributes.y1))].sort((a, b) => a - b));
    expect(lines).toHaveLength(3);
    expect(lines[2].attributes["stroke-dasharray"]).toBeTruthy();
    expect(topologyDescription({ hosts: TUTORIAL, services, networks }, LABELS)).toMatch(/provider network: flat 192\.168\.158\.0\/24 · floating IPs 192\.168\.158\.200 – 192\.168\.158\.249\. Self-service network: VXLAN 172\.16\.1\.0\/24/);
  });

  it("says the networks in the reader's words", () => {
    const labels = { ...LABELS, selfService: "自助服务网络", floatingIps: "浮动 IP", tunnelled: "经管理网络隧道传输" };
    const shown = texts(parseXml(topologySvg({ hosts: TUTORIAL, services, networks }, labels)));
    expect(shown).toContain("自助服务网络");
    expect(shown).toContain("flat 192.168.158.0/24 · 浮动 IP 192.168.158.200 – 192.168.158.249");
    expect(shown).toContain("VXLAN 172.16.1.0/24 · 经管理网络隧道传输");
  });

  it("leaves the tutorial's picture as it was: two networks, no network details", () => {
    const tutorial = { hosts: TUTORIAL, services: planServices({ scope: "tutorial", hosts: TUTORIAL }) };
    const svg = topologySvg(tutorial, LABELS);
    expect(topologySvg(tutorial, { ...LABELS, selfService: "x", floatingIps: "y", tunnelled: "z" })).toBe(svg);
    expect(svg).not.toMatch(/VXLAN|Self-service|floating/);
    expect(all(parseXml(svg)).filter((e) => e.name === "line" && e.attributes["stroke-width"] === "4")).toHaveLength(2);
  });
});

describe("planServices", () => {
  it("puts the tutorial's services on the controller and chrony on each compute in the tutorial scope", () => {
    expect(planServices({ scope: "tutorial", hosts: TUTORIAL })).toEqual({
      ct: ["MariaDB :3306", "RabbitMQ :5672", "memcached :11211", "etcd :2379", "Keystone :5000", "Glance :9292"],
      c1: ["chrony client"],
      c2: ["chrony client"],
    });
  });

  it("adds Placement and Nova on the controller and nova-compute with its hypervisor type on each compute in the compute scope", () => {
    const hosts = [TUTORIAL[0], { ...TUTORIAL[1], virtType: "kvm" as const }, TUTORIAL[2]];
    const services = planServices({ scope: "compute", hosts }, { chronyClient: "chrony 客户端", novaMetadata: "Nova 元数据", novncProxy: "noVNC 代理" });
    expect(services.ct).toEqual([
      ...TUTORIAL_CONTROLLER_SERVICES,
      "Placement :8778",
      "Nova API :8774",
      "Nova 元数据 :8775",
      "noVNC 代理 :6080",
      "nova-scheduler",
      "nova-conductor",
      "Neutron server :9696",
      "neutron-linuxbridge-agent",
      "neutron-l3-agent",
      "neutron-dhcp-agent",
      "neutron-metadata-agent",
    ]);
    // c2's hypervisor type is not known (no host check recorded it): no type is made up.
    expect(services.c1).toEqual(["chrony 客户端", "nova-compute (libvirt, kvm)", "neutron-linuxbridge-agent"]);
    expect(services.c2).toEqual(["chrony 客户端", "nova-compute (libvirt)", "neutron-linuxbridge-agent"]);
    const shown = texts(parseXml(topologySvg({ hosts, services }, LABELS)));
    expect(shown).toContain("nova-compute (libvirt, kvm)");
    expect(shown).toContain("noVNC 代理 :6080");
  });

  // The ports a service also holds that the picture leaves out: RabbitMQ's clustering and management, etcd's peers.
  const SECONDARY_PORTS = [25672, 15672, 2380];

  it.each(PLAYBOOK_SCOPES)("names every service port the %s scope's playbook checks on the controller, and no other", (scope) => {
    const plan = { scope, hosts: TUTORIAL.map((h) => ({ ...h, id: h.name, role: h.role as "controller" | "compute" })) };
    const playbook = buildPlaybook({ profile: "debian12-zed", scope, hosts: plan.hosts, options: { ntpServer: "ntp", managementCidr: "", centosRepository: "vault", centosRepositoryUrl: "", regionName: "RegionOne", imageName: "cirros", providerCidr: "", providerGateway: "", floatingIpStart: "", floatingIpEnd: "", selfServiceCidr: "" } });
    const checked = new Set(playbook.phases.flatMap((p) => p.steps.flatMap((s) => (s.ports ?? []).filter((port) => port.on === "controller").map((port) => port.port))));
    const shown = controllerServices(scope).flatMap((service) => /:(\d+)$/.exec(service)?.[1] ?? []).map(Number);
    expect([...shown].sort()).toEqual([...checked].filter((port) => !SECONDARY_PORTS.includes(port)).sort());
  });
});

describe("escapeXml", () => {
  it("escapes the five characters and drops what XML cannot hold", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    expect(escapeXml("a\u0000b\u001fc\td\ne")).toBe("abc\td\ne");
    expect(escapeXml("😀 \ud800x")).toBe("😀 x");
  });
});
