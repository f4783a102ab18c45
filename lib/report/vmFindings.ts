import type { Locale } from "../i18n/locale";
import type { MessageKey } from "../i18n/messages";
import { translate } from "../i18n/translate";
import type { NetworkAgent, VmResult } from "./vmVerification";

/**
 * verify.vm's VMs and verify.network's agents as table cells in the reader's language, for the
 * report (HTML and Markdown) and the dashboard alike: each renderer adds only its markup. A cell's
 * tone says how it went (good, a warning, bad, or nothing to judge), its text starts with the mark
 * the Markdown report and a screen reader see (✓, !, ✗). Pure.
 */

export type Tone = "ok" | "warn" | "bad" | "plain";
export type Cell = { text: string; tone: Tone };

export const VM_COLUMNS = [
  "report.col.compute",
  "report.vms.col.server",
  "report.vms.col.image",
  "report.vms.col.status",
  "report.vms.col.timeToActive",
  "report.vms.col.fixedIp",
  "report.vms.col.floatingIp",
  "report.vms.col.ping",
  "report.vms.col.ssh",
  "report.vms.col.console",
] as const satisfies MessageKey[];

export const AGENT_COLUMNS = ["report.agents.col.type", "report.col.host", "report.agents.col.alive", "report.agents.col.state", "report.agents.col.binary"] as const satisfies MessageKey[];

const MARKS: Record<Tone, string> = { ok: "✓ ", warn: "! ", bad: "✗ ", plain: "" };
const cell = (tone: Tone, text: string): Cell => ({ tone, text: `${MARKS[tone]}${text}` });
const DASH = "—";

/** Ping and SSH: ok, failed, or not checked (the VM never got an address). */
function checkCell(locale: Locale, value: string): Cell {
  const tone: Tone = value === "ok" ? "ok" : value === "failed" ? "bad" : "plain";
  const key = `report.vms.check.${value}` as MessageKey;
  const text = translate(locale, key);
  return cell(tone, text === key ? value : text);
}

function consoleCell(locale: Locale, value: string): Cell {
  if (value === "booted") return cell("ok", translate(locale, "report.vms.console.booted"));
  if (value === "missing") return cell("bad", translate(locale, "report.vms.console.missing"));
  return checkCell(locale, value);
}

/** ACTIVE is good; ERROR and a VM left in BUILD (or any other state) are not. */
function statusCell(status: string): Cell {
  return cell(status === "ACTIVE" ? "ok" : "bad", status || DASH);
}

/** One row per VM: the compute, server, image, status, time to ACTIVE, both addresses, ping, SSH, console. */
export function vmRows(locale: Locale, vms: readonly VmResult[]): Cell[][] {
  const plain = (text: string | null) => cell("plain", text || DASH);
  return vms.map((vm) => [
    plain(vm.host),
    plain(vm.server),
    plain(vm.image),
    statusCell(vm.status),
    plain(vm.activeSeconds === null ? null : translate(locale, "report.vms.seconds", { s: vm.activeSeconds })),
    plain(vm.fixedIp),
    plain(vm.floatingIp),
    checkCell(locale, vm.ping),
    checkCell(locale, vm.ssh),
    consoleCell(locale, vm.console),
  ]);
}

/** What the table cannot hold: each failed VM's fault message, and a VM the check did not delete. */
export function vmNotes(locale: Locale, vms: readonly VmResult[]): string[] {
  return vms.flatMap((vm) => [
    ...vm.faults.map((fault) => translate(locale, "report.vms.fault", { server: vm.server, host: vm.host, fault })),
    ...(vm.deleted ? [] : [translate(locale, "report.vms.notDeleted", { server: vm.server, host: vm.host })]),
  ]);
}

/** One row per agent: its type, host, whether it is alive, its state and program. */
export function agentRows(locale: Locale, agents: readonly NetworkAgent[]): Cell[][] {
  return agents.map((a) => [
    cell("plain", a.type),
    cell("plain", a.host),
    a.alive ? cell("ok", translate(locale, "report.agents.alive")) : cell("bad", translate(locale, "report.agents.dead")),
    cell(a.state === "UP" ? "plain" : "warn", a.state || DASH),
    cell("plain", a.binary),
  ]);
}
