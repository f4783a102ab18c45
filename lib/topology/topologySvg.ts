import type { VirtType } from "../playbook/playbookInput";
import type { PlaybookScope } from "../playbook/scope";

/**
 * The plan's topology as one self-contained SVG string: each host as a box with its name, role
 * and services, hanging off the management and the provider network with its address on each.
 * No external fonts, images or styles, and every text escaped, so the dashboard can show it as
 * an image and the report can embed the very same string. Pure.
 */

export type TopologyRole = "controller" | "compute";

export type TopologyInput = {
  hosts: { name: string; role: TopologyRole | string; managementIp: string; natIp: string }[];
  /** The services on each host, by host name, in the order to show. */
  services: Record<string, string[]>;
  /** The compute scope's Neutron networks (lib/playbook/networkOptions.ts); absent in the tutorial's picture. */
  networks?: TopologyNetworks;
};

/** What the picture says of the compute scope's networks: the flat provider network with its floating IPs, the VXLAN self-service network. */
export type TopologyNetworks = { providerCidr: string; floatingIpStart: string; floatingIpEnd: string; selfServiceCidr: string };

/** What the picture draws of a plan's network options (networkOptionsOf's), and no more. */
export function topologyNetworks({ providerCidr, floatingIpStart, floatingIpEnd, selfServiceCidr }: TopologyNetworks): TopologyNetworks {
  return { providerCidr, floatingIpStart, floatingIpEnd, selfServiceCidr };
}

export type TopologyLabels = {
  controller: string;
  compute: string;
  management: string;
  provider: string;
  /** The words of the compute scope's networks (English when absent). */
  selfService?: string;
  floatingIps?: string;
  tunnelled?: string;
};

const ENGLISH_NETWORK_WORDS = { selfService: "Self-service network", floatingIps: "floating IPs", tunnelled: "tunnelled over the management network" };

/** The words among the services' names, in the reader's language (the rest are program and product names). */
export type ServiceWords = { chronyClient: string; novaMetadata: string; novncProxy: string };

export const ENGLISH_SERVICE_WORDS: ServiceWords = { chronyClient: "chrony client", novaMetadata: "Nova metadata", novncProxy: "noVNC proxy" };

/**
 * What the topology needs of a plan: its scope, and each host's role (and, for a compute, the
 * hypervisor type its host check found, when the plan records it).
 */
export type TopologyPlan = { scope: PlaybookScope; hosts: { name: string; role: TopologyRole | string; virtType?: VirtType }[] };

/** What the tutorial's playbook runs on the controller, with the port the dashboard checks for each. */
export const TUTORIAL_CONTROLLER_SERVICES = ["MariaDB :3306", "RabbitMQ :5672", "memcached :11211", "etcd :2379", "Keystone :5000", "Glance :9292"] as const;

/**
 * The controller's services for a scope. The ports are the playbook's (each service's main one;
 * topologySvg.test.ts holds them to what the scope's playbook checks).
 */
export function controllerServices(scope: PlaybookScope, words: ServiceWords = ENGLISH_SERVICE_WORDS): string[] {
  if (scope !== "compute") return [...TUTORIAL_CONTROLLER_SERVICES];
  return [
    ...TUTORIAL_CONTROLLER_SERVICES,
    "Placement :8778",
    "Nova API :8774",
    `${words.novaMetadata} :8775`,
    `${words.novncProxy} :6080`,
    "nova-scheduler",
    "nova-conductor",
    "Neutron server :9696",
    ...CONTROLLER_AGENTS,
  ];
}

/** The Neutron agents of the install guide's networking option 2 on the controller (the Linux bridge agent runs on every host). */
export const CONTROLLER_AGENTS = ["neutron-linuxbridge-agent", "neutron-l3-agent", "neutron-dhcp-agent", "neutron-metadata-agent"] as const;

/** A compute's services for a scope: chrony (as a client of the controller), and nova-compute with libvirt and the Linux bridge agent in the compute scope. */
export function computeServices(scope: PlaybookScope, virtType: VirtType | undefined, words: ServiceWords = ENGLISH_SERVICE_WORDS): string[] {
  if (scope !== "compute") return [words.chronyClient];
  return [words.chronyClient, `nova-compute (libvirt${virtType ? `, ${virtType}` : ""})`, "neutron-linuxbridge-agent"];
}

/** Services per host name, as the plan's scope deploys them. */
export function planServices(plan: TopologyPlan, words: ServiceWords = ENGLISH_SERVICE_WORDS): Record<string, string[]> {
  return Object.fromEntries(
    plan.hosts.map((h) => [h.name, h.role === "controller" ? controllerServices(plan.scope, words) : h.role === "compute" ? computeServices(plan.scope, h.virtType, words) : []]),
  );
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

const PAD = 20;
const GAP = 36;
const MIN_BOX = 176;
const MAX_BOX = 320;
const HEADER = 48;
const LINE = 18;
const BUS_DROP = 54;
const BUS_GAP = 62;

const STYLE = {
  controller: { fill: "#eff6ff", header: "#dbeafe", stroke: "#2563eb", text: "#1e3a8a" },
  compute: { fill: "#f0fdf4", header: "#dcfce7", stroke: "#16a34a", text: "#14532d" },
  other: { fill: "#f8fafc", header: "#e2e8f0", stroke: "#64748b", text: "#1e293b" },
  management: "#0f766e",
  provider: "#7c3aed",
  selfService: "#b45309",
};

/** Text as XML character data or an attribute value: the five special characters escaped, characters XML forbids dropped. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** About how wide a text is drawn (no font metrics here): wide for CJK, narrower for Latin. */
function textWidth(text: string, size: number, mono = false): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? size : size * (mono ? 0.62 : 0.58);
  return width;
}

/** Cuts a text with "…" to fit `max` pixels. */
function fit(text: string, size: number, max: number, mono = false): string {
  if (textWidth(text, size, mono) <= max) return text;
  let out = "";
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, size, mono) > max) break;
    out += ch;
  }
  return `${out}…`;
}

type Attrs = Record<string, string | number | undefined>;

function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === "number" ? String(Math.round(v * 10) / 10) : v!)}"`)
    .join("");
}

const text = (content: string, values: Attrs) => `<text${attrs(values)}>${escapeXml(content)}</text>`;

/** The picture in words (its title, and an image's alt text): each host, its role, both IPs and its services. */
export function topologyDescription(input: TopologyInput, labels: TopologyLabels): string {
  const roleLabel = (role: string) => (role === "controller" ? labels.controller : role === "compute" ? labels.compute : role);
  const ip = (value: string) => value.trim() || "—";
  const hosts = [...input.hosts]
    .sort((a, b) => Number(b.role === "controller") - Number(a.role === "controller"))
    .map((h) => `${h.name} (${roleLabel(h.role)}): ${labels.management} ${ip(h.managementIp)}, ${labels.provider} ${ip(h.natIp)}; ${(input.services[h.name] ?? []).join(", ") || "—"}`);
  const networks = input.networks ? networkNotes(input.networks, labels) : null;
  return [...hosts, ...(networks ? [`${labels.provider}: ${networks.provider}`, `${networks.selfServiceName}: ${networks.selfService}`] : [])].join(". ");
}

/** The networks' details as the picture writes them under each network's line. */
function networkNotes(n: TopologyNetworks, labels: TopologyLabels) {
  const words = { ...ENGLISH_NETWORK_WORDS, ...Object.fromEntries(Object.entries(labels).filter(([, v]) => v)) };
  return {
    provider: `flat ${n.providerCidr} · ${words.floatingIps} ${n.floatingIpStart} – ${n.floatingIpEnd}`,
    selfServiceName: words.selfService,
    selfService: `VXLAN ${n.selfServiceCidr} · ${words.tunnelled}`,
  };
}

/** The SVG, as a string: hosts left to right (the controller first), the two networks below them. */
export function topologySvg(input: TopologyInput, labels: TopologyLabels): string {
  const hosts = [...input.hosts].sort((a, b) => Number(b.role === "controller") - Number(a.role === "controller"));
  const roleLabel = (role: string) => (role === "controller" ? labels.controller : role === "compute" ? labels.compute : role);
  const services = (name: string) => input.services[name] ?? [];
  const ip = (value: string) => value.trim() || "—";

  // The compute scope's networks: the provider network's details under its line, then the self-service network's line and details.
  const notes = input.networks ? networkNotes(input.networks, labels) : null;
  // The network names are bold: a little wider than the estimate.
  const labelColumn = Math.max(textWidth(labels.management, 12), textWidth(labels.provider, 12), notes ? textWidth(notes.selfServiceName, 12) : 0) * 1.15 + 28;
  const boxes = hosts.map((host) => {
    const inner = Math.max(
      textWidth(host.name, 15) + 8,
      textWidth(roleLabel(host.role), 12),
      ...services(host.name).map((s) => textWidth(s, 12) + 14),
      textWidth(ip(host.managementIp), 12, true) + 28,
      textWidth(ip(host.natIp), 12, true) + 28,
    );
    return { host, width: Math.min(MAX_BOX, Math.max(MIN_BOX, inner + 24)) };
  });
  const serviceLines = Math.max(1, ...hosts.map((h) => services(h.name).length));
  const boxHeight = HEADER + serviceLines * LINE + 14;
  const top = PAD;
  const managementY = top + boxHeight + BUS_DROP;
  const providerY = managementY + BUS_GAP;
  const selfServiceY = providerY + BUS_GAP + 10;
  const contentWidth = Math.max(
    boxes.reduce((sum, b) => sum + b.width, 0) + GAP * Math.max(0, boxes.length - 1),
    notes ? Math.max(textWidth(notes.provider, 12, true), textWidth(notes.selfService, 12, true)) : 0,
  );
  const width = Math.ceil(PAD + labelColumn + contentWidth + PAD);
  const height = Math.ceil(notes ? selfServiceY + 40 : providerY + 30);

  const describe = topologyDescription(input, labels);

  const parts: string[] = [];
  parts.push(`<title>${escapeXml(describe)}</title>`);
  parts.push(`<rect${attrs({ x: 0, y: 0, width, height, fill: "#ffffff" })}/>`);

  // The networks: a line each across the picture, named on the left.
  const busStart = PAD + labelColumn - 10;
  const busEnd = width - PAD / 2;
  for (const [y, color, name] of [
    [managementY, STYLE.management, labels.management],
    [providerY, STYLE.provider, labels.provider],
  ] as const) {
    parts.push(`<line${attrs({ x1: busStart, y1: y, x2: busEnd, y2: y, stroke: color, "stroke-width": 4, "stroke-linecap": "round" })}/>`);
    parts.push(text(name, { x: PAD, y: y + 4, "font-size": 12, "font-weight": 600, fill: color }));
  }
  if (notes) {
    const detail = (content: string, y: number, color: string) => text(content, { x: PAD + labelColumn, y, "font-size": 12, "font-family": MONO, fill: color });
    parts.push(detail(notes.provider, providerY + 22, STYLE.provider));
    // The self-service network has no wire of its own: a dashed line, named on the left like the others.
    parts.push(`<line${attrs({ x1: busStart, y1: selfServiceY, x2: busEnd, y2: selfServiceY, stroke: STYLE.selfService, "stroke-width": 3, "stroke-dasharray": "8 5", "stroke-linecap": "round" })}/>`);
    parts.push(text(notes.selfServiceName, { x: PAD, y: selfServiceY + 4, "font-size": 12, "font-weight": 600, fill: STYLE.selfService }));
    parts.push(detail(notes.selfService, selfServiceY + 22, STYLE.selfService));
  }

  let x = PAD + labelColumn;
  for (const { host, width: boxWidth } of boxes) {
    const style = host.role === "controller" ? STYLE.controller : host.role === "compute" ? STYLE.compute : STYLE.other;
    const bottom = top + boxHeight;
    // The management link on the left with its address to its right; the provider link on the
    // right with its address to its left, below the management network: the texts never cross a link.
    const managementX = x + 20;
    const providerX = x + boxWidth - 20;
    // The links first, so the box and the labels are drawn over them.
    parts.push(`<line${attrs({ x1: managementX, y1: bottom, x2: managementX, y2: managementY, stroke: STYLE.management, "stroke-width": 2 })}/>`);
    parts.push(`<circle${attrs({ cx: managementX, cy: managementY, r: 5, fill: STYLE.management })}/>`);
    parts.push(`<line${attrs({ x1: providerX, y1: bottom, x2: providerX, y2: providerY, stroke: STYLE.provider, "stroke-width": 2, "stroke-dasharray": "5 3" })}/>`);
    parts.push(`<circle${attrs({ cx: providerX, cy: providerY, r: 5, fill: STYLE.provider })}/>`);
    const ipMax = boxWidth - 52;
    parts.push(text(fit(ip(host.managementIp), 12, ipMax, true), { x: managementX + 8, y: managementY - 10, "font-size": 12, "font-family": MONO, fill: STYLE.management }));
    parts.push(text(fit(ip(host.natIp), 12, ipMax, true), { x: providerX - 8, y: providerY - 10, "font-size": 12, "font-family": MONO, fill: STYLE.provider, "text-anchor": "end" }));

    parts.push(`<rect${attrs({ x, y: top, width: boxWidth, height: boxHeight, rx: 8, fill: style.fill, stroke: style.stroke, "stroke-width": 2 })}/>`);
    parts.push(`<path${attrs({ d: `M${x + 1} ${top + HEADER} V${top + 8} Q${x + 1} ${top + 1} ${x + 8} ${top + 1} H${x + boxWidth - 8} Q${x + boxWidth - 1} ${top + 1} ${x + boxWidth - 1} ${top + 8} V${top + HEADER} Z`, fill: style.header })}/>`);
    parts.push(`<line${attrs({ x1: x, y1: top + HEADER, x2: x + boxWidth, y2: top + HEADER, stroke: style.stroke, "stroke-width": 1 })}/>`);
    parts.push(text(fit(host.name, 15, boxWidth - 24), { x: x + 12, y: top + 21, "font-size": 15, "font-weight": 700, fill: style.text }));
    parts.push(text(fit(roleLabel(host.role), 12, boxWidth - 24), { x: x + 12, y: top + 39, "font-size": 12, fill: style.text }));
    const list = services(host.name);
    if (list.length === 0) parts.push(text("—", { x: x + 12, y: top + HEADER + LINE, "font-size": 12, fill: "#64748b" }));
    list.forEach((service, i) => {
      const y = top + HEADER + LINE * (i + 1);
      parts.push(`<circle${attrs({ cx: x + 16, cy: y - 4, r: 3, fill: style.stroke })}/>`);
      parts.push(text(fit(service, 12, boxWidth - 38), { x: x + 26, y, "font-size": 12, fill: "#1e293b" }));
    });
    x += boxWidth + GAP;
  }

  return `<svg${attrs({ xmlns: "http://www.w3.org/2000/svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "font-family": FONT })}>${parts.join("")}</svg>`;
}
