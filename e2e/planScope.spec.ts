import type { APIRequestContext, Page } from "@playwright/test";
import type { Locale } from "../lib/i18n/locale";
import type { MessageKey } from "../lib/i18n/messages";
import { translate, type MessageParams } from "../lib/i18n/translate";
import type { HostRole, PlanView } from "../lib/plan/planView";
import type { PlaybookInput } from "../lib/playbook/playbookInput";
import type { PlaybookScope } from "../lib/playbook/scope";
import { COMPUTE_SERVICE_SECRETS, serviceSecretsFor, type ServiceSecret } from "../lib/playbook/serviceSecrets";
import type { Playbook } from "../lib/playbook/types";
import { phaseTitle } from "../lib/runs/playbookTitles";
import { withDrillDatabase } from "./support/drillDatabase";
import { MAIN_DATA_DIR } from "./support/mainServer";
import { expect, test } from "./support/test";
import { createPreviewablePlan } from "./support/tutorialPlan";

/**
 * Issue 15: the plan's scope, chosen on the Hosts page. A new plan is a compute cloud and asks for
 * the compute passwords too; the tutorial asks for its six, and Review, its phase list and the
 * preview leave Placement and Nova out; switching back finds the compute passwords still saved.
 * A plan stored before scopes existed opens as the tutorial it always was. No SSH: Check hosts
 * and Deploy are never pressed.
 */

/** The phases only the compute cloud has. */
const COMPUTE_PHASES = ["placement", "nova", "nova-compute", "neutron", "neutron-agents"] as const;

async function storedPlan(request: APIRequestContext, id: string): Promise<PlanView> {
  return (await (await request.get(`/api/plans/${id}`)).json()) as PlanView;
}

async function storedPlaybook(request: APIRequestContext, id: string): Promise<{ input: PlaybookInput; playbook: Playbook }> {
  return (await (await request.get(`/api/plans/${id}/playbook`)).json()) as { input: PlaybookInput; playbook: Playbook };
}

for (const locale of ["en", "zh-CN"] as const satisfies readonly Locale[]) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const secretLabel = (name: ServiceSecret) => t("field.serviceSecret", { label: t(`field.secret.${name}`), name });
  const scopeRadio = (page: Page, scope: PlaybookScope) => page.getByRole("group", { name: t("wizard.scope.legend") }).getByRole("radio", { name: t(`plan.scope.${scope}`) });
  const steps = (page: Page) => page.getByRole("navigation", { name: t("wizard.steps.label") });

  /** Opens a wizard page through the step indicator (the plan is saved on the way, as a user's would be). */
  async function openStep(page: Page, step: "hosts" | "passwords" | "review") {
    await steps(page).getByRole("link", { name: t(`wizard.step.${step}`) }).click();
    await expect(page).toHaveURL(new RegExp(`/${step}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(`wizard.step.${step}`));
  }

  /** The Passwords page asks for exactly the scope's secrets: each by its label, and no other field. */
  async function expectPasswordsAskedFor(page: Page, scope: PlaybookScope) {
    const region = page.getByRole("region", { name: t("wizard.passwords.heading") });
    const asked = serviceSecretsFor(scope);
    // One label per secret asked for: a field, or "Saved (hidden)" with its Change button.
    await expect(region.locator("label, span[id$='-label']")).toHaveText(asked.map(secretLabel));
    for (const name of COMPUTE_SERVICE_SECRETS.filter((n) => !asked.includes(n))) await expect(region.getByText(secretLabel(name))).toHaveCount(0);
  }

  /** Review's "What each host gets" for a role: the phase titles of the saved plan's playbook, in this language. */
  async function expectInstalls(page: Page, request: APIRequestContext, planId: string, role: HostRole, scope: PlaybookScope) {
    const { playbook } = await storedPlaybook(request, planId);
    const phases = playbook.phases.filter((p) => p.steps.some((s) => s.roles.includes(role)));
    const computePhases = phases.map((p) => p.key).filter((key) => (COMPUTE_PHASES as readonly string[]).includes(key));
    // A compute gets nova-compute and the Linux bridge agent; the controller Placement, Nova and Neutron (and it maps the computes, in their phase).
    if (scope === "tutorial") expect(computePhases, role).toEqual([]);
    else if (role === "compute") expect(computePhases).toEqual(["nova-compute", "neutron-agents"]);
    else expect(computePhases).toEqual(expect.arrayContaining(["placement", "nova", "neutron", "neutron-agents"]));
    await expect(page.getByTestId(`installs-${role}`).getByRole("listitem")).toHaveText(phases.map((p) => phaseTitle(locale, p.key, p.title)));
  }

  test.describe(`the plan's scope (${locale})`, () => {
    test.use({ locale });

    test("a new plan is a compute cloud with thirteen passwords; the tutorial asks for six and installs no Placement or Nova; back to the compute cloud, its saved passwords are kept", async ({ page, request }) => {
      test.setTimeout(150_000);
      const { id } = await createPreviewablePlan(request);
      await page.goto(`/plans/${id}/hosts`);

      // ---- Hosts: "What to install", the compute cloud chosen, each choice explained.
      const compute = scopeRadio(page, "compute");
      const tutorial = scopeRadio(page, "tutorial");
      await expect(compute).toBeChecked();
      await expect(tutorial).not.toBeChecked();
      await expect(compute).toHaveAccessibleDescription(t("wizard.scope.hint.compute", { count: serviceSecretsFor("compute").length }));
      await expect(tutorial).toHaveAccessibleDescription(t("wizard.scope.hint.tutorial", { count: serviceSecretsFor("tutorial").length }));

      // ---- Passwords: the thirteen of the compute cloud; Generate fills a compute password; a placeholder is warned about.
      await openStep(page, "passwords");
      await expectPasswordsAskedFor(page, "compute");
      expect(serviceSecretsFor("compute")).toHaveLength(13);
      await page.getByRole("button", { name: t("wizard.secret.generateLabel", { label: secretLabel("NOVA_PASS") }) }).click();
      await expect(page.getByLabel(secretLabel("NOVA_PASS"), { exact: true })).toHaveValue(/^.{24}$/);
      await expect(page.getByText(t("wizard.secret.copyNow"))).toBeVisible();
      const placementDb = page.getByLabel(secretLabel("PLACEMENT_DBPASS"), { exact: true });
      await placementDb.fill("PLACEMENT_DBPASS");
      await expect(placementDb).toHaveAccessibleDescription(t("plan.password.guessable"));
      await placementDb.fill("placement-Db-pass-7!");
      await expect(page.getByText(t("wizard.save.saved"))).toBeVisible();
      await expect.poll(async () => (await storedPlan(request, id)).serviceSecrets).toMatchObject({ NOVA_PASS: true, PLACEMENT_DBPASS: true, NOVA_DBPASS: false, PLACEMENT_PASS: false });

      // ---- Review (compute): the scope, the compute passwords still missing, Placement and Nova per host.
      await openStep(page, "review");
      await expect(page.getByText(t("wizard.review.scope", { scope: t("plan.scope.compute") }))).toBeVisible();
      await expect(page.getByText(t("plan.issue.serviceSecretMissing.NOVA_DBPASS"))).toBeVisible();
      await expect(page.getByText(t("plan.issue.serviceSecretMissing.NOVA_PASS"))).toHaveCount(0);
      await expectInstalls(page, request, id, "controller", "compute");
      await expectInstalls(page, request, id, "compute", "compute");

      // ---- Hosts: the tutorial, chosen with the keyboard (arrow keys move within the group).
      await openStep(page, "hosts");
      await compute.focus();
      await page.keyboard.press("ArrowDown");
      await expect(tutorial).toBeChecked();
      await expect(tutorial).toBeFocused();
      await expect(page.getByText(t("wizard.save.saved"))).toBeVisible();
      await expect.poll(async () => (await storedPlan(request, id)).settings.scope).toBe("tutorial");
      // The compute passwords are not deleted, only no longer asked for.
      expect((await storedPlan(request, id)).serviceSecrets).toMatchObject({ NOVA_PASS: true, PLACEMENT_DBPASS: true });

      // ---- Passwords (tutorial): the six.
      await openStep(page, "passwords");
      await expectPasswordsAskedFor(page, "tutorial");

      // ---- Review (tutorial): no compute password missing, no Placement or Nova on any host.
      await openStep(page, "review");
      await expect(page.getByText(t("wizard.review.scope", { scope: t("plan.scope.tutorial") }))).toBeVisible();
      await expect(page.getByText(t("plan.issue.serviceSecretMissing.RABBIT_PASS"))).toBeVisible();
      for (const name of COMPUTE_SERVICE_SECRETS) await expect(page.getByText(t(`plan.issue.serviceSecretMissing.${name}`))).toHaveCount(0);
      await expectInstalls(page, request, id, "controller", "tutorial");
      await expectInstalls(page, request, id, "compute", "tutorial");

      // ---- The preview (tutorial): no Placement or Nova phase for the controller nor for a compute.
      await page.getByRole("link", { name: t("wizard.review.preview") }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("preview.heading"));
      const { input } = await storedPlaybook(request, id);
      for (const host of [input.hosts.find((h) => h.role === "controller")!, input.hosts.find((h) => h.role === "compute")!]) {
        await page.getByRole("main").getByRole("combobox").selectOption(host.id);
        await expect(page.getByRole("heading", { level: 2, name: t("playbook.phase.chrony") })).toBeVisible();
        await expect(page.locator('[data-testid^="preview-placement."], [data-testid^="preview-nova."], [data-testid^="preview-nova-compute."]')).toHaveCount(0);
        for (const key of COMPUTE_PHASES) await expect(page.getByRole("heading", { level: 2, name: t(`playbook.phase.${key}`) })).toHaveCount(0);
      }

      // ---- Back to the compute cloud: the two compute passwords set before show as saved, the others are asked for.
      await page.goto(`/plans/${id}/hosts`);
      await scopeRadio(page, "compute").check();
      await expect(page.getByText(t("wizard.save.saved"))).toBeVisible();
      await expect.poll(async () => (await storedPlan(request, id)).settings.scope).toBe("compute");
      await openStep(page, "passwords");
      await expectPasswordsAskedFor(page, "compute");
      for (const name of ["NOVA_PASS", "PLACEMENT_DBPASS"] as const) await expect(page.getByRole("group", { name: secretLabel(name) })).toContainText(t("wizard.secret.savedHidden"));
      for (const name of ["NOVA_DBPASS", "PLACEMENT_PASS"] as const) await expect(page.getByLabel(secretLabel(name), { exact: true })).toHaveValue("");

      // ---- The preview (compute): Placement on the controller, nova-compute on a compute.
      await page.goto(`/plans/${id}/preview`);
      await expect(page.getByRole("heading", { level: 2, name: t("playbook.phase.placement") })).toBeVisible();
      await expect(page.getByTestId("preview-nova.services")).toBeVisible();
      await page.getByRole("main").getByRole("combobox").selectOption(input.hosts.find((h) => h.role === "compute")!.id);
      await expect(page.getByTestId("preview-nova-compute.service")).toBeVisible();
      await expect(page.getByTestId("preview-placement.database")).toHaveCount(0);
    });

    test("a plan stored before scopes opens as the tutorial, asking for its six passwords", async ({ page, request }) => {
      const { id } = await createPreviewablePlan(request);
      // As an older StackPilot stored it: settings without a scope.
      withDrillDatabase(MAIN_DATA_DIR, (db) => db.prepare(`UPDATE "Plan" SET "settings" = json_remove("settings", '$.scope') WHERE "id" = ?`).run(id));
      withDrillDatabase(MAIN_DATA_DIR, (db) => expect((db.prepare(`SELECT json_extract("settings", '$.scope') AS scope FROM "Plan" WHERE "id" = ?`).get(id) as { scope: unknown }).scope).toBeNull());

      await page.goto(`/plans/${id}/hosts`);
      await expect(scopeRadio(page, "tutorial")).toBeChecked();
      await expect(scopeRadio(page, "compute")).not.toBeChecked();
      await openStep(page, "passwords");
      await expectPasswordsAskedFor(page, "tutorial");
      await openStep(page, "review");
      await expect(page.getByText(t("wizard.review.scope", { scope: t("plan.scope.tutorial") }))).toBeVisible();
      await expectInstalls(page, request, id, "controller", "tutorial");
      // Saving it on the way wrote the scope it had: the tutorial.
      expect((await storedPlan(request, id)).settings.scope).toBe("tutorial");
    });
  });
}
