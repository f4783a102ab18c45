/**
 * What the compute scope's closing check (step verify.compute) found, read back from what it
 * printed: the `openstack compute service list`, `hypervisor list` and `resource provider list`
 * tables and the `nova-status upgrade check` table. The step prints them and then holds the cloud
 * to them (it fails when a compute is missing from any); this reads them so the report can say
 * per compute what was there, not only that the step passed. Pure.
 */

/** The step whose output this reads. */
export const COMPUTE_VERIFY_STEP = "verify.compute";

/** The controller's Nova services the check wants up. */
export const CONTROLLER_NOVA_SERVICES = ["nova-scheduler", "nova-conductor"] as const;

export type ComputeHostFindings = {
  host: string;
  /** nova-compute's state in the compute service list ("up", "down"), null when not listed. */
  novaCompute: string | null;
  /** Whether the scheduler may place instances there: the list's Status ("enabled", "disabled"), null when not listed. */
  novaComputeStatus: string | null;
  /** The hypervisor's type (QEMU…) when the hypervisor list has this host, else null. */
  hypervisorType: string | null;
  hypervisor: boolean;
  resourceProvider: boolean;
};

export type ComputeVerification = {
  /** nova-scheduler and nova-conductor on the controller, with their state (null: not listed). */
  controller: { binary: string; host: string; state: string | null }[];
  computes: ComputeHostFindings[];
  /** Each check nova-status ran, with its result ("Success", "Warning", "Failure"); empty when it printed none. */
  novaStatus: { check: string; result: string }[];
};

type Table = { columns: string[]; rows: string[][] };

const RULE = /^\+[-=+]+\+$/;
const ROW = /^\|.*\|$/;

/**
 * The tables in a command's output as cliff and prettytable draw them: a rule, the header row,
 * a rule, the rows, a rule. A single rule between rows separates groups of rows (nova-status
 * draws those); two rules in a row end one table and start the next (one command after another).
 */
export function readTables(lines: readonly string[]): Table[] {
  const tables: Table[] = [];
  let current: Table | null = null;
  let rules = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (RULE.test(line)) {
      rules += 1;
      continue;
    }
    if (ROW.test(line) && (current || rules > 0)) {
      const cells = line.slice(1, -1).split("|").map((cell) => cell.trim());
      if (!current || rules >= 2) tables.push((current = { columns: cells, rows: [] }));
      else current.rows.push(cells);
    } else {
      current = null;
    }
    rules = 0;
  }
  return tables;
}

function column(table: Table, name: string): number {
  return table.columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
}

/** A host name as the check matches it: the name itself, or the name and a domain. */
function sameHost(listed: string, host: string): boolean {
  return listed === host || listed.startsWith(`${host}.`);
}

/** The first table that has all these columns. */
export function tableWith(tables: Table[], ...names: string[]): (Table & { at: (name: string) => number }) | null {
  const found = tables.find((t) => names.every((name) => column(t, name) >= 0));
  return found ? { ...found, at: (name: string) => column(found, name) } : null;
}

/** What verify.compute printed, per compute and for the controller; null when its service list is not in the output. */
export function readComputeVerification(lines: readonly string[], controller: string, computes: readonly string[]): ComputeVerification | null {
  const tables = readTables(lines);
  const services = tableWith(tables, "Binary", "Host", "State");
  if (!services) return null;
  const serviceRow = (binary: string, host: string) => services.rows.find((r) => r[services.at("Binary")] === binary && r[services.at("Host")] === host);
  const stateOf = (binary: string, host: string) => serviceRow(binary, host)?.[services.at("State")] ?? null;
  const statusAt = services.at("Status");

  const hypervisors = tableWith(tables, "Hypervisor Hostname");
  const hypervisorOf = (host: string) => hypervisors?.rows.find((r) => sameHost(r[hypervisors.at("Hypervisor Hostname")], host)) ?? null;
  const providers = tableWith(tables, "uuid", "name");
  const status = tables.find((t) => t.columns.length === 1 && t.columns[0] === "Upgrade Check Results");

  const novaStatus: ComputeVerification["novaStatus"] = [];
  for (const [cell] of status?.rows ?? []) {
    const check = /^Check: (.*)$/.exec(cell);
    const result = /^Result: (.*)$/.exec(cell);
    if (check) novaStatus.push({ check: check[1], result: "" });
    else if (result && novaStatus.length > 0) novaStatus[novaStatus.length - 1].result = result[1];
  }

  return {
    controller: CONTROLLER_NOVA_SERVICES.map((binary) => ({ binary, host: controller, state: stateOf(binary, controller) })),
    computes: computes.map((host) => {
      const hypervisor = hypervisorOf(host);
      const typeAt = hypervisors?.at("Hypervisor Type") ?? -1;
      return {
        host,
        novaCompute: stateOf("nova-compute", host),
        novaComputeStatus: (statusAt >= 0 && serviceRow("nova-compute", host)?.[statusAt]) || null,
        hypervisor: hypervisor !== null,
        hypervisorType: hypervisor && typeAt >= 0 ? hypervisor[typeAt] || null : null,
        resourceProvider: !!providers?.rows.some((r) => sameHost(r[providers.at("name")], host)),
      };
    }),
    novaStatus,
  };
}

/** nova-status's overall result: the worst of its checks' ("Failure" over "Warning" over "Success"); null when it printed none. */
export function novaStatusResult(checks: ComputeVerification["novaStatus"]): string | null {
  if (checks.length === 0) return null;
  for (const worst of ["Failure", "Warning"]) if (checks.some((c) => c.result === worst)) return worst;
  return checks.every((c) => c.result === "Success") ? "Success" : (checks.find((c) => c.result !== "Success")?.result ?? null);
}
