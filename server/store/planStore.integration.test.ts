import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SERVICE_SECRETS, SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import { sshSecretKey } from "@/lib/plan/secretKeys";
import { createTestContext } from "../testing/testContext";
import { PlanUpdateError } from "./planStore";

/** The wizard's save (saveDraft) against a real SQLite database: what is valid is saved, each refused value is named. */
describe("PlanStore.saveDraft: one refused value costs no other", () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.dispose());

  /** The tutorial's six service passwords. */
  const SIX = SERVICE_SECRETS;
  const six = (tabIn: string) =>
    Object.fromEntries(SIX.map((name) => [serviceSecretKey(name), name === tabIn ? `${name}\twith-a-tab` : `${name}-typed-'"$-ok`]));

  it("saves five service passwords when the sixth holds a tab, and names only the sixth, by key and without its value", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const { plan: saved, rejected } = await ctx.plans.saveDraft(plan.id, { secrets: six("RABBIT_PASS") });

    expect(rejected).toEqual([
      {
        path: "service.RABBIT_PASS",
        code: "plan.rejected.passwordControl",
        params: {},
        message: "A password cannot contain a line break, a tab or another control character (any other character, quotes and spaces included, is fine).",
      },
    ]);
    expect(JSON.stringify(rejected)).not.toContain("with-a-tab");
    expect(saved.serviceSecrets).toEqual({ PLACEMENT_DBPASS: false, PLACEMENT_PASS: false, NOVA_DBPASS: false, NOVA_PASS: false, NEUTRON_DBPASS: false, NEUTRON_PASS: false, METADATA_SECRET: false, MARIADB_ROOT_PASS: true, RABBIT_PASS: false, KEYSTONE_DBPASS: true, ADMIN_PASS: true, GLANCE_DBPASS: true, GLANCE_PASS: true });
    const forRun = await ctx.plans.loadForRun(plan.id);
    expect(forRun!.serviceSecrets).toEqual(Object.fromEntries(SIX.filter((n) => n !== "RABBIT_PASS").map((n) => [n, `${n}-typed-'"$-ok`])));
  });

  it("keeps the stored value of a secret whose new value is refused, and saves the plan's other fields with it", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    await ctx.plans.saveDraft(plan.id, { secrets: { [serviceSecretKey("ADMIN_PASS")]: "the first admin password" } });
    const { plan: saved, rejected } = await ctx.plans.saveDraft(plan.id, {
      settings: { ...plan.settings, regionName: "RegionTwo" },
      secrets: { [serviceSecretKey("ADMIN_PASS")]: "line\nbreak", [sshSecretKey({ scope: "shared" }, "privateKey")]: "not a key" },
    });
    expect(rejected.map((r) => [r.path, r.code])).toEqual([
      ["service.ADMIN_PASS", "plan.rejected.passwordControl"],
      ["ssh.shared.privateKey", "plan.rejected.keyUnreadable"],
    ]);
    expect(saved.settings.regionName).toBe("RegionTwo");
    expect((await ctx.plans.loadForRun(plan.id))!.serviceSecrets.ADMIN_PASS).toBe("the first admin password");
  });

  it("names a credential of a host the plan no longer has by its key, and saves the rest of the request", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const [ct] = plan.hosts;
    const { plan: saved, rejected } = await ctx.plans.saveDraft(plan.id, {
      hosts: [{ ...ct, name: "controller" }],
      secrets: { [sshSecretKey({ scope: "host", hostId: "gone-host" }, "password")]: "pw of a removed host", [sshSecretKey({ scope: "shared" }, "password")]: "shared pw" },
    });
    expect(rejected.map((r) => [r.path, r.code])).toEqual([["ssh.host.gone-host.password", "plan.rejected.secretHostMissing"]]);
    expect(saved.hosts.map((h) => h.name)).toEqual(["controller"]);
    expect(saved.sharedSecrets.passwordSet).toBe(true);
  });

  it("update() stays all or nothing: the refused value fails the whole save and nothing of it is stored", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const attempt = ctx.plans.update(plan.id, { settings: { ...plan.settings, regionName: "RegionTwo" }, secrets: six("GLANCE_PASS") });
    await expect(attempt).rejects.toBeInstanceOf(PlanUpdateError);
    await expect(attempt).rejects.toMatchObject({ path: "service.GLANCE_PASS", rejected: { code: "plan.rejected.passwordControl" } });
    const after = (await ctx.plans.get(plan.id))!;
    expect(after.settings.regionName).toBe("RegionOne");
    expect(Object.values(after.serviceSecrets)).toEqual(ALL_SERVICE_SECRETS.map(() => false));
  });
});
