import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { planSettingsSchema, type PlanView } from "./planView";
import { readPlanUpdate } from "./readPlanUpdate";

const HOST_ID = "11111111-2222-3333-4444-555555555555";
const stored: Pick<PlanView, "settings" | "hosts"> = {
  settings: { ...planSettingsSchema.parse({}), managementCidr: "10.0.0.0/24" },
  hosts: [{ id: HOST_ID, name: "ct", role: "controller", managementIp: "10.0.0.1", natIp: "10.1.0.1", sshPort: 2222, sshUser: "root", authMethod: "password", passwordSet: false, privateKeySet: false }],
};
const host = (change: Record<string, unknown> = {}) => ({ ...stored.hosts[0], ...change });

describe("readPlanUpdate: one value that does not fit is left out, the rest is saved", () => {
  it("takes a valid update as it is", () => {
    const body = { name: "p", settings: stored.settings, hosts: [host()], secrets: { "service.ADMIN_PASS": "x" } };
    const { update, rejected } = readPlanUpdate(body, stored);
    expect(rejected).toEqual([]);
    expect(update.secrets).toEqual({ "service.ADMIN_PASS": "x" });
  });

  it("leaves out a secret that is too long, by its key and without its value, and keeps the other secrets", () => {
    const long = "a".repeat(20_000);
    const { update, rejected } = readPlanUpdate({ secrets: { "service.ADMIN_PASS": long, "service.RABBIT_PASS": "fine one" } }, stored);
    expect(update.secrets).toEqual({ "service.RABBIT_PASS": "fine one" });
    expect(rejected).toEqual([{ path: "service.ADMIN_PASS", code: "plan.rejected.tooLong", params: { max: 16_384 }, message: "Too long: at most 16384 characters." }]);
    expect(JSON.stringify(rejected)).not.toContain("aaaa");
  });

  it("keeps the stored value of a setting that is too long, and saves the other settings", () => {
    const settings = { ...stored.settings, managementCidr: "1".repeat(50), regionName: "RegionTwo" };
    const { update, rejected } = readPlanUpdate({ settings }, stored);
    expect(update.settings).toMatchObject({ managementCidr: "10.0.0.0/24", regionName: "RegionTwo" });
    expect(rejected.map((r) => [r.path, r.code])).toEqual([["settings.managementCidr", "plan.rejected.tooLong"]]);
  });

  it("keeps a stored host's port when the port sent is no number, and says what was typed", () => {
    const { update, rejected } = readPlanUpdate({ hosts: [host({ sshPort: "22abc", name: "ct-new" })] }, stored);
    expect(update.hosts).toEqual([expect.objectContaining({ id: HOST_ID, sshPort: 2222, name: "ct-new" })]);
    expect(rejected).toEqual([expect.objectContaining({ path: "hosts.0.sshPort", code: "plan.rejected.portNotNumber", message: 'SSH port must be a whole number from 1 to 65535: "22abc" is not.' })]);
  });

  it("gives a new host port 22 for a port that cannot be stored", () => {
    const fresh = { ...host({ id: "new-host", name: "c9", sshPort: 1.5 }) };
    const { update, rejected } = readPlanUpdate({ hosts: [host(), fresh] }, stored);
    expect(update.hosts?.[1]).toMatchObject({ id: "new-host", sshPort: 22 });
    expect(rejected.map((r) => r.path)).toEqual(["hosts.1.sshPort"]);
  });

  it("names a NUL in a text field and leaves that field as stored", () => {
    const { update, rejected } = readPlanUpdate({ hosts: [host({ managementIp: "10.0.0.9\0" })] }, stored);
    expect(update.hosts?.[0].managementIp).toBe("10.0.0.1");
    expect(rejected).toEqual([expect.objectContaining({ path: "hosts.0.managementIp", code: "plan.rejected.nul" })]);
  });

  it("leaves out a host without a usable id, keeping the others", () => {
    const { update, rejected } = readPlanUpdate({ hosts: [host(), host({ id: "bad id!" })] }, stored);
    expect(update.hosts?.map((h) => h.id)).toEqual([HOST_ID]);
    expect(rejected.map((r) => [r.path, r.code])).toEqual([["hosts.1", "plan.rejected.invalid"]]);
  });

  it("refuses a body that is no plan update at all", () => {
    expect(() => readPlanUpdate(["not", "an", "object"], stored)).toThrow(ZodError);
    expect(() => readPlanUpdate(null, stored)).toThrow(ZodError);
  });
});
