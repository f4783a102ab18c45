import type { Dialog, Page } from "@playwright/test";
import type { Locale } from "../lib/i18n/locale";
import type { MessageKey } from "../lib/i18n/messages";
import { translate, type MessageParams } from "../lib/i18n/translate";
import type { PlanView } from "../lib/plan/planView";
import { ALL_SERVICE_SECRETS, serviceSecretsFor, type ServiceSecret } from "../lib/playbook/serviceSecrets";
import { expect, test } from "./support/test";

// Issue 14: a save that fails keeps what was typed, marks the field, saves the rest; leaving asks first.
// In English and in Chinese. No SSH: Check hosts and Deploy are never pressed.

/** What the user must read, written out per language (the labels come from the catalog). */
const SAYS = {
  en: {
    tabRefused: "A password cannot contain a line break, a tab or another control character (any other character, quotes and spaces included, is fine).",
    savedExceptOne: "Saved, except 1 value marked below: it stays in its field until you fix it.",
    leaveOne: "1 value on this page is not saved (marked in red). Leave anyway? It will be lost.",
    portNotNumber: 'SSH port must be a whole number from 1 to 65535: "22abc" is not.',
    tooLong: "Too long: at most 253 characters.",
    allSaved: "All changes saved",
  },
  "zh-CN": {
    tabRefused: "密码不能包含换行符、制表符或其他控制字符（其他任何字符，包括引号和空格，都可以）。",
    savedExceptOne: "已保存，但下面标出的 1 个值除外：它会留在输入框中，直到您改正。",
    leaveOne: "此页有 1 个值未保存（红色标出）。仍要离开吗？它将会丢失。",
    portNotNumber: "SSH 端口必须是 1 到 65535 之间的整数：“22abc”不是。",
    tooLong: "太长了：最多 253 个字符。",
    allSaved: "所有更改已保存",
  },
} as const;

/** The service passwords as typed; one holds a tab (as a paste from a spreadsheet would). */
const typed = (name: ServiceSecret, withTab: ServiceSecret) => (name === withTab ? `Sheet-${name}-7\tcolumn-B` : `Typed-${name}-7'"$`);

/** The next dialog the page opens, answered with `answer` once it was checked. */
async function answerDialog(page: Page, answer: "accept" | "dismiss", act: () => Promise<unknown>): Promise<Dialog> {
  const dialog = page.waitForEvent("dialog");
  const acted = act();
  const opened = await dialog;
  await opened[answer]();
  await acted;
  return opened;
}

async function newPlan(request: import("@playwright/test").APIRequestContext): Promise<PlanView> {
  return (await (await request.post("/api/plans")).json()) as PlanView;
}

for (const locale of ["en", "zh-CN"] as const satisfies readonly Locale[]) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const says = SAYS[locale];
  const secretLabel = (name: ServiceSecret) => t("field.serviceSecret", { label: t(`field.secret.${name}`), name });

  test.describe(`nothing typed is lost (${locale})`, () => {
    test.use({ locale });

    test("a tab in one of the service passwords: the others are saved, that one keeps its text and its message, and Next asks first", async ({ page, request }) => {
      const plan = await newPlan(request);
      // Every password the plan's scope asks for (a new plan: the compute cloud's ten).
      const asked = serviceSecretsFor(plan.settings.scope);
      await page.goto(`/plans/${plan.id}/passwords`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("wizard.step.passwords"));

      // Every answer of the server to a save: none may carry a password typed here.
      const answers: string[] = [];
      page.on("response", async (response) => {
        if (response.request().method() === "PUT") answers.push(await response.text().catch(() => ""));
      });
      for (const name of asked) {
        const field = page.getByLabel(secretLabel(name), { exact: true });
        await field.click();
        await field.fill(typed(name, "RABBIT_PASS"));
      }
      await expect(page.getByText(says.savedExceptOne)).toBeVisible();

      const rabbit = page.getByLabel(secretLabel("RABBIT_PASS"), { exact: true });
      await expect(rabbit).toHaveValue(typed("RABBIT_PASS", "RABBIT_PASS"));
      await expect(rabbit).toHaveAttribute("aria-invalid", "true");
      await expect(rabbit).toHaveAccessibleDescription(says.tabRefused);
      await expect(page.getByText(says.tabRefused)).toBeVisible();
      // The others keep what was typed too, with no mark.
      for (const name of asked.filter((n) => n !== "RABBIT_PASS")) {
        const field = page.getByLabel(secretLabel(name), { exact: true });
        await expect(field).toHaveValue(typed(name, "RABBIT_PASS"));
        await expect(field).not.toHaveAttribute("aria-invalid", "true");
      }
      // Stored on the server: all but the one with the tab.
      const stored = (await (await request.get(`/api/plans/${plan.id}`)).json()) as PlanView;
      expect(stored.serviceSecrets).toEqual(Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, name !== "RABBIT_PASS"])));
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) {
        expect(answer).not.toContain("column-B");
        expect(answer).not.toContain("Typed-");
      }

      // Next asks; staying keeps everything and puts the keyboard on the field at fault.
      const next = page.getByRole("button", { name: t("wizard.next", { step: t("wizard.step.review") }) });
      const question = await answerDialog(page, "dismiss", () => next.click());
      expect(question.type()).toBe("confirm");
      expect(question.message()).toBe(says.leaveOne);
      await expect(page).toHaveURL(/\/passwords$/);
      await expect(rabbit).toBeFocused();
      await expect(rabbit).toHaveValue(typed("RABBIT_PASS", "RABBIT_PASS"));

      // Leaving anyway: Review names the one missing password, and only that one.
      await answerDialog(page, "accept", () => next.click());
      await expect(page).toHaveURL(/\/review$/);
      await expect(page.getByText(t("plan.issue.serviceSecretMissing.RABBIT_PASS"))).toBeVisible();
      for (const name of asked.filter((n) => n !== "RABBIT_PASS")) await expect(page.getByText(t(`plan.issue.serviceSecretMissing.${name}`))).toHaveCount(0);

      // After a reload, the others show as set and that one as empty.
      await page.goto(`/plans/${plan.id}/passwords`);
      for (const name of asked.filter((n) => n !== "RABBIT_PASS")) {
        await expect(page.getByRole("group", { name: secretLabel(name) })).toContainText(t("wizard.secret.savedHidden"));
      }
      await expect(page.getByLabel(secretLabel("RABBIT_PASS"), { exact: true })).toHaveValue("");

      // Fixed: saved, nothing left to ask about.
      const fixed = page.getByLabel(secretLabel("RABBIT_PASS"), { exact: true });
      await fixed.click();
      await fixed.fill("rabbit-without-a-tab-7");
      await expect(page.getByText(says.allSaved)).toBeVisible();
      await next.click();
      await expect(page).toHaveURL(/\/review$/);
      await expect(page.getByText(t("plan.issue.serviceSecretMissing.RABBIT_PASS"))).toHaveCount(0);
    });

    test("Review shows each host's SSH target: user, address and port", async ({ page, request }) => {
      const plan = await newPlan(request);
      const hosts = plan.hosts.map(({ passwordSet: _p, privateKeySet: _k, hostKeyFingerprint: _f, hostKeyPinnedAt: _a, ...h }, i) => ({
        ...h,
        managementIp: `10.123.0.1${i + 1}0`,
        sshPort: i === 2 ? 2222 : 22,
      }));
      expect((await request.put(`/api/plans/${plan.id}`, { data: { hosts } })).ok()).toBe(true);
      await page.goto(`/plans/${plan.id}/review`);
      const ssh = (name: string) => page.getByRole("row", { name: new RegExp(`^${name} `) }).getByRole("cell").nth(3);
      await expect(ssh("ct")).toHaveText("root@10.123.0.110:22");
      await expect(ssh("c1")).toHaveText("root@10.123.0.120:22");
      await expect(ssh("c2")).toHaveText("root@10.123.0.130:2222");
    });

    test("an SSH port of 22abc stays 22abc with what is wrong, the stored port is kept, and leaving or closing the tab asks first", async ({ page, request }) => {
      const plan = await newPlan(request);
      await page.goto(`/plans/${plan.id}/hosts`);
      const port = page.getByLabel(t("field.sshPort", { n: 1 }), { exact: true });
      await port.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.type("22abc");
      await expect(port).toHaveValue("22abc");
      await expect(port).toHaveAttribute("aria-invalid", "true");
      await expect(port).toHaveAccessibleDescription(says.portNotNumber);
      // A right value beside it is saved.
      const ip2 = page.getByLabel(t("field.managementIp", { n: 2 }), { exact: true });
      await ip2.fill("10.123.0.120");
      await expect(page.getByText(says.savedExceptOne)).toBeVisible();
      const stored = async () => (await (await request.get(`/api/plans/${plan.id}`)).json()) as PlanView;
      await expect.poll(async () => (await stored()).hosts[1].managementIp).toBe("10.123.0.120");
      expect((await stored()).hosts[0].sshPort).toBe(22);

      // Closing the tab asks (the browser's own question); staying keeps the text.
      const closing = await answerDialog(page, "dismiss", () => page.close({ runBeforeUnload: true }));
      expect(closing.type()).toBe("beforeunload");
      expect(page.isClosed()).toBe(false);
      await expect(port).toHaveValue("22abc");

      // The step indicator asks too.
      const steps = page.getByRole("navigation", { name: t("wizard.steps.label") });
      const asked = await answerDialog(page, "dismiss", () => steps.getByRole("link", { name: t("wizard.step.review") }).click());
      expect(asked.message()).toBe(says.leaveOne);
      await expect(page).toHaveURL(/\/hosts$/);
      await expect(port).toBeFocused();

      // Fixed: stored, and Next goes on without a question.
      await page.keyboard.press("Control+A");
      await page.keyboard.type("2222");
      await expect(port).not.toHaveAttribute("aria-invalid", "true");
      await expect(page.getByText(says.allSaved)).toBeVisible();
      await expect.poll(async () => (await stored()).hosts[0].sshPort).toBe(2222);
      await page.getByRole("button", { name: t("wizard.next", { step: t("wizard.step.credentials") }) }).click();
      await expect(page).toHaveURL(/\/credentials$/);
    });

    test("Hosts: a host name that is too long is marked and kept while the rest is saved; the step indicator asks first", async ({ page, request }) => {
      const plan = await newPlan(request);
      await page.goto(`/plans/${plan.id}/hosts`);
      const long = `c${"x".repeat(260)}`;
      const name3 = page.getByLabel(t("field.hostName", { n: 3 }), { exact: true });
      await name3.click();
      await name3.fill(long);
      await page.getByLabel(t("field.natIp", { n: 1 }), { exact: true }).fill("10.9.0.1");
      await expect(page.getByText(says.savedExceptOne)).toBeVisible();
      await expect(name3).toHaveValue(long);
      await expect(name3).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByText(says.tooLong)).toBeVisible();
      const stored = (await (await request.get(`/api/plans/${plan.id}`)).json()) as PlanView;
      expect(stored.hosts.map((h) => [h.name, h.natIp])).toEqual([
        ["ct", "10.9.0.1"],
        ["c1", plan.hosts[1].natIp],
        ["c2", plan.hosts[2].natIp],
      ]);
      // (Next stays, as for any host name that is not valid.) The step indicator asks first.
      const steps = page.getByRole("navigation", { name: t("wizard.steps.label") });
      const asked = await answerDialog(page, "dismiss", () => steps.getByRole("link", { name: t("wizard.step.credentials") }).click());
      expect(asked.message()).toBe(says.leaveOne);
      await expect(page).toHaveURL(/\/hosts$/);
      await expect(name3).toHaveValue(long);
    });

    test("Credentials: a refused SSH password keeps its text and message; Back, the step indicator and closing the tab ask first", async ({ page, request }) => {
      const plan = await newPlan(request);
      await page.goto(`/plans/${plan.id}/credentials`);
      const password = page.getByLabel(t("field.sshPassword"), { exact: true });
      await password.click();
      await password.fill("root\tpassword");
      await page.getByLabel(t("field.sshUser"), { exact: true }).fill("admin");
      await expect(page.getByText(says.savedExceptOne)).toBeVisible();
      await expect(password).toHaveValue("root\tpassword");
      await expect(password).toHaveAccessibleDescription(says.tabRefused);
      const stored = (await (await request.get(`/api/plans/${plan.id}`)).json()) as PlanView;
      expect([stored.settings.sharedSshUser, stored.sharedSecrets.passwordSet]).toEqual(["admin", false]);

      const back = page.getByRole("button", { name: t("wizard.back") });
      expect((await answerDialog(page, "dismiss", () => back.click())).message()).toBe(says.leaveOne);
      await expect(page).toHaveURL(/\/credentials$/);
      const steps = page.getByRole("navigation", { name: t("wizard.steps.label") });
      expect((await answerDialog(page, "dismiss", () => steps.getByRole("link", { name: t("wizard.step.passwords") }).click())).message()).toBe(says.leaveOne);
      await expect(page).toHaveURL(/\/credentials$/);
      expect((await answerDialog(page, "dismiss", () => page.close({ runBeforeUnload: true }))).type()).toBe("beforeunload");
      await expect(password).toHaveValue("root\tpassword");

      // Leaving on purpose through Back: the plan is as stored, the refused password was never set.
      await answerDialog(page, "accept", () => back.click());
      await expect(page).toHaveURL(/\/hosts$/);
      await page.goto(`/plans/${plan.id}/credentials`);
      await expect(page.getByLabel(t("field.sshUser"), { exact: true })).toHaveValue("admin");
      const again = page.getByLabel(t("field.sshPassword"), { exact: true });
      await expect(again).toHaveValue("");

      // Choosing a private key instead takes the refused password off the page with its field: nothing is left unsaved.
      await again.click();
      await again.fill("root\tpassword");
      await expect(page.getByText(says.savedExceptOne)).toBeVisible();
      await page.getByRole("group", { name: t("field.loginWith") }).getByRole("radio", { name: t("plan.authMethod.key") }).check();
      await expect(page.getByText(says.allSaved)).toBeVisible();
      await steps.getByRole("link", { name: t("wizard.step.hosts") }).click();
      await expect(page).toHaveURL(/\/hosts$/);
    });
  });
}
