import type { HostRole } from "../plan/planView";
import { SERVICE_PORTS as PREFLIGHT_PORTS } from "../playbook/phases/preflight";
import type { PortCheckView, PortExpectationView, RunHost } from "./runView";

/** The tutorial's service ports, the matrix's columns (in this order, any other port after them). */
export const SERVICE_PORTS = [3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000, 9292];

/** The wizard's own name as a source of port checks. */
export const WIZARD = "wizard";

export type PortCellState = "open" | "closed" | "waiting" | "none";

export type PortCell = {
  port: number;
  /** open / closed: the newest check says so; waiting: to be checked, not yet; none: not checked on this route. */
  state: PortCellState;
  /** Why it is closed (the newest check's reason). */
  error: string | null;
  /** What listens there (MariaDB, Keystone…), when known. */
  label: string | null;
  checkedAt: string | null;
};

export type PortRow = { from: string; to: string; cells: PortCell[] };

export type PortMatrix = { ports: number[]; rows: PortRow[] };

/**
 * Hosts × service ports: a row per route (from the wizard, then from each host, to the host that
 * serves the ports — the controller), a cell per port. Cells follow the newest check of their
 * route and port; a port a step will check is "waiting" until then. Rows come from the plan's
 * expectations and from the checks themselves, so a check nobody expected still shows. Pure.
 */
export function portMatrix(input: { hosts?: readonly RunHost[]; expectations?: readonly PortExpectationView[]; checks: readonly PortCheckView[] }): PortMatrix {
  const hosts = input.hosts ?? [];
  const expected = new Map<string, string>();
  const routes: { from: string; to: string }[] = [];
  const addRoute = (from: string, to: string) => {
    if (!routes.some((r) => r.from === from && r.to === to)) routes.push({ from, to });
  };
  const withRole = (roles: readonly HostRole[]) => hosts.filter((h) => roles.includes(h.role));
  for (const e of input.expectations ?? []) {
    for (const target of withRole([e.on])) {
      for (const from of [WIZARD, ...withRole(e.fromRoles).filter((h) => h.name !== target.name).map((h) => h.name)]) {
        addRoute(from, target.name);
        expected.set(`${from}\u0000${target.name}\u0000${e.port}`, e.label);
      }
    }
  }
  const latest = new Map<string, PortCheckView>();
  for (const check of input.checks) {
    addRoute(check.fromHost, check.toHost);
    const key = `${check.fromHost}\u0000${check.toHost}\u0000${check.port}`;
    const held = latest.get(key);
    if (!held || held.checkedAt <= check.checkedAt) latest.set(key, check);
  }
  // What listens on a port: as a step of this run names it, else as the tutorial's playbook does.
  const labels = new Map<number, string>([...PREFLIGHT_PORTS.map((p) => [p.port, p.label] as const), ...(input.expectations ?? []).map((e) => [e.port, e.label] as const)]);
  const extra = [...new Set([...(input.expectations ?? []).map((e) => e.port), ...input.checks.map((c) => c.port)])].filter((p) => !SERVICE_PORTS.includes(p)).sort((a, b) => a - b);
  const ports = [...SERVICE_PORTS, ...extra];

  // The wizard first, then the hosts in the plan's order, then anything else by name.
  const order = (name: string) => (name === WIZARD ? -1 : hosts.findIndex((h) => h.name === name) === -1 ? hosts.length : hosts.findIndex((h) => h.name === name));
  routes.sort((a, b) => order(a.from) - order(b.from) || a.from.localeCompare(b.from) || order(a.to) - order(b.to) || a.to.localeCompare(b.to));

  return {
    ports,
    rows: routes.map(({ from, to }) => ({
      from,
      to,
      cells: ports.map((port) => {
        const key = `${from}\u0000${to}\u0000${port}`;
        const check = latest.get(key);
        const label = expected.get(key) ?? labels.get(port) ?? null;
        if (check) return { port, state: check.open ? "open" : "closed", error: check.open ? null : check.error, label, checkedAt: check.checkedAt };
        return { port, state: expected.has(key) ? "waiting" : "none", error: null, label, checkedAt: null };
      }),
    })),
  };
}
