import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { mkdirSync } from "node:fs";

// The wizard in Chinese and English, walked with the keyboard only. No SSH: Check hosts and Deploy
// are never pressed.
const SHOTS = "test-results/screenshots";
const TYPO = "192.168.100.1100";

test.use({ locale: "zh-CN" });
test.describe.configure({ mode: "serial" });
// Two languages, four pages each, every Tab checked: longer than the default 90 s on a slow machine.
test.setTimeout(240_000);

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

/** What the focused element looks like: whether it draws an outline or a ring. */
type Focus = { what: string; visible: boolean } | null;

type WithProbe = { focusProbe: () => Focus };

/** Installed in every page (addInitScript): tells the focused element and whether its focus can be seen. */
function installFocusProbe() {
  (window as unknown as WithProbe).focusProbe = () => {
    const el = document.activeElement;
    // Not for the body, nor for a heading focused by script (tabindex -1: never reached with Tab).
    if (!el || el === document.body || (el as HTMLElement).tabIndex < 0) return null;
    const style = getComputedStyle(el);
    const visible = (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
    return { what: `${el.tagName} ${el.getAttribute("aria-label") ?? el.textContent?.slice(0, 40)}`, visible };
  };
}

function expectVisible(focus: Focus) {
  if (focus) expect(focus.visible, `focus indicator on ${focus.what}`).toBe(true);
}

/**
 * Presses Tab until `target` has the focus, or Shift+Tab when it is above the focus, checking on
 * the way that every element reached shows a focus indicator. Fails if the keyboard cannot reach it.
 */
async function tabTo(page: Page, target: Locator, { max = 80 } = {}) {
  await expect(target).toBeVisible();
  const handle = await target.elementHandle();
  const backward = await handle!.evaluate((el) => {
    const at = document.activeElement;
    return Boolean(at && at !== document.body && at !== el && el.compareDocumentPosition(at) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  for (let i = 0; i < max; i++) {
    const { reached, focus } = await handle!.evaluate((el) => ({ reached: el === document.activeElement, focus: (window as unknown as WithProbe).focusProbe() }));
    expectVisible(focus);
    if (reached) return;
    await page.keyboard.press(backward ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${target} was not reached with ${max} presses of ${backward ? "Shift+Tab" : "Tab"}`);
}

/**
 * From the page's heading to its last control, Tab visits the controls in the order they appear in
 * the page (never jumping back up), each with a visible focus indicator.
 */
async function expectTabOrderFollowsPage(page: Page) {
  // Start where the wizard puts the keyboard on arriving at a step: its heading.
  await page.locator("h1").focus();
  let previous = await page.evaluate(() => [...document.querySelectorAll("main *")].indexOf(document.activeElement!));
  let steps = 0;
  for (; steps < 80; steps++) {
    await page.keyboard.press("Tab");
    const { index, inMain, focus } = await page.evaluate(() => {
      const el = document.activeElement!;
      return { index: [...document.querySelectorAll("main *")].indexOf(el), inMain: Boolean(el.closest("main")), focus: (window as unknown as WithProbe).focusProbe() };
    });
    if (!inMain) break;
    expectVisible(focus);
    expect(index, `tab order follows the page (at ${focus?.what})`).toBeGreaterThan(previous);
    previous = index;
  }
  expect(steps, "the page has controls to reach").toBeGreaterThan(1);
}

/** Every visible text in the page's main part has a contrast of at least 4.5:1 against its background. */
async function expectReadableText(page: Page) {
  const low = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    const rgba = (color: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const bg = rgba(getComputedStyle(el).backgroundColor);
        if (bg[3] > 0) return bg;
      }
      return [255, 255, 255, 255];
    };
    const problems: string[] = [];
    for (const el of document.querySelectorAll("main *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "");
      if (!own) continue;
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue; // sr-only
      if (el.closest("button:disabled, [aria-disabled=true]")) continue; // disabled controls are exempt
      const fg = rgba(getComputedStyle(el).color);
      const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < 4.5) problems.push(`${el.tagName} "${el.textContent!.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1`);
    }
    return problems;
  });
  expect(low, "text with too little contrast").toEqual([]);
}

async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

async function pressNext(page: Page, name: string | RegExp, url: RegExp, heading: string) {
  await tabTo(page, page.getByRole("button", { name }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(url);
  // Arriving on a step puts the keyboard at its heading, so Tab goes on from the top of the page.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
}

async function shot(page: Page, step: string, lang: string) {
  await page.screenshot({ path: `${SHOTS}/wizard-${step}-${lang}.png`, fullPage: true });
}

test("the wizard in Chinese then English, by keyboard only, remembered across a reload", async ({ page, context, request }) => {
  await page.addInitScript(installFocusProbe);
  // ---- No language chosen yet: the browser's (zh-CN) is used. A plan of its own ("/" reopens the latest one).
  const { id } = await (await request.post("/api/plans")).json();
  await page.goto(`/plans/${id}/hosts`);
  await expect(page).toHaveURL(/\/plans\/[^/]+\/hosts$/);
  expect((await context.cookies()).find((c) => c.name === "stackpilot-locale")).toBeUndefined();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("主机");

  const steps = page.getByRole("navigation", { name: "向导步骤" });
  // Steps with something still missing carry a marker, read out as "(有待解决的问题)".
  await expect(steps.getByRole("listitem")).toHaveText([/^1主机$/, /^2登录凭据●（有待解决的问题）$/, /^3密码与选项●（有待解决的问题）$/, /^4核对与预览$/, /^5部署（尚未部署）$/]);
  await expect(steps.getByRole("link", { name: "主机" })).toHaveAttribute("aria-current", "step");
  // No deployment yet: Deploy is shown after the review, not as a link.
  await expect(steps.getByRole("link", { name: /部署/ })).toHaveCount(0);

  // ---- Hosts (zh-CN): Chinese labels, a typo'd IP gets its Chinese message, tied to the field.
  await expect(page.getByLabel("目标系统")).toHaveValue("centos7-train");
  // A new plan installs the compute cloud; the choice and what it means, in Chinese.
  await expect(page.getByRole("group", { name: "安装内容" }).getByRole("radio", { name: "计算云" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "身份认证与镜像（教程内容）" })).not.toBeChecked();
  await expect(page.getByRole("columnheader")).toHaveText(["主机名", "角色", "管理网络 IP", "第二网卡（NAT）IP", "SSH 端口", "操作"]);
  await expect(page.getByLabel("主机 1 的主机名")).toHaveValue("ct");
  await expect(page.getByLabel("主机 1 的角色").locator("option:checked")).toHaveText("控制节点");
  await expect(page.getByLabel("主机 2 的角色").locator("option:checked")).toHaveText("计算节点");
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);

  const ip1 = page.getByLabel("主机 1 的管理网络 IP");
  await typeInto(page, ip1, TYPO);
  await page.keyboard.press("Tab");
  const zhError = `“${TYPO}”不是有效的 IPv4 地址（应为四个 0-255 的数字，例如 192.168.100.110）。`;
  await expect(page.getByText(zhError)).toBeVisible();
  await expect(ip1).toHaveAttribute("aria-invalid", "true");
  await expect(ip1).toHaveAccessibleDescription(zhError);
  await shot(page, "hosts", "zh-CN");
  // Next refuses, in Chinese, while the IP is wrong.
  await tabTo(page, page.getByRole("button", { name: "下一步：登录凭据" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("请先修正上面标出的 1 个问题再继续。")).toBeVisible();
  await expect(page).toHaveURL(/\/hosts$/);
  await typeInto(page, ip1, "192.168.100.110");
  await expect(page.getByText(zhError)).toHaveCount(0);
  await expect(ip1).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("所有更改已保存")).toBeVisible();
  await pressNext(page, "下一步：登录凭据", /\/credentials$/, "登录凭据");

  // ---- Credentials (zh-CN)
  await expect(steps.getByRole("link", { name: "登录凭据" })).toHaveAttribute("aria-current", "step");
  await expect(page.getByRole("radio", { name: "所有主机使用同一套" })).toBeChecked();
  await expect(page.getByLabel("SSH 用户")).toHaveValue("root");
  await expect(page.getByRole("group", { name: "登录方式" }).getByRole("radio", { name: "密码" })).toBeChecked();
  await expectTabOrderFollowsPage(page);
  await typeInto(page, page.getByLabel("SSH 密码"), "a-test-password-typed-here");
  await expect(page.getByText("所有更改已保存")).toBeVisible();
  await expectReadableText(page);
  await shot(page, "credentials", "zh-CN");
  await pressNext(page, "下一步：密码与选项", /\/passwords$/, "密码与选项");

  // ---- Passwords & options (zh-CN): a placeholder password is warned about in Chinese; Generate by keyboard.
  await expect(page.getByRole("heading", { name: "服务密码" })).toBeVisible();
  await expect(page.getByLabel("控制节点的上游 NTP 服务器")).toHaveValue("ntp6.aliyun.com");
  await expect(page.getByLabel("CentOS 7 软件源")).toHaveAccessibleDescription("CentOS 7 已停止维护：默认镜像源已下线。");
  await expectTabOrderFollowsPage(page);
  const rabbit = page.getByLabel("RabbitMQ 中 openstack 用户的密码（RABBIT_PASS）", { exact: true });
  await typeInto(page, rabbit, "RABBIT_PASS");
  await expect(page.getByText("这是教程中的占位名称或常见密码，任何人都能猜到。")).toBeVisible();
  await expect(rabbit).toHaveAccessibleDescription("这是教程中的占位名称或常见密码，任何人都能猜到。");
  await tabTo(page, page.getByRole("button", { name: "生成强密码：OpenStack admin 用户密码（ADMIN_PASS）" }));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("OpenStack admin 用户密码（ADMIN_PASS）", { exact: true })).toHaveValue(/^.{24}$/);
  await expect(page.getByText("如有需要请现在复制：保存后将不会再显示。")).toBeVisible();
  await expect(page.getByText("所有更改已保存")).toBeVisible();
  await expectReadableText(page);
  await shot(page, "passwords", "zh-CN");
  await pressNext(page, "下一步：核对与预览", /\/review$/, "核对与预览");

  // ---- Review (zh-CN): what is missing, in Chinese, with a link to fix it.
  await expect(page.getByText("部署之前还需要：")).toBeVisible();
  await expect(page.getByText("请设置 MariaDB root 密码（MARIADB_ROOT_PASS）。")).toBeVisible();
  await expect(page.getByRole("link", { name: "前往“密码与选项”修改" }).first()).toBeVisible();
  await expect(page.getByText("CentOS 7 + OpenStack Train（教程所用） · 3 台主机 · 所有主机使用同一登录：root，使用密码")).toBeVisible();
  await expect(page.getByText("安装内容：计算云")).toBeVisible();
  await expect(page.getByRole("heading", { name: "每台主机安装的内容" })).toBeVisible();
  await expect(page.getByTestId("installs-compute")).toContainText("计算服务（Nova，计算节点）");
  await expect(page.getByRole("button", { name: "检查主机" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "部署", exact: true })).toBeDisabled();
  await expect(page.getByRole("link", { name: "预览脚本" })).toBeVisible();
  await expect(page.getByRole("row", { name: /^ct / })).toContainText("控制节点");
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);
  await shot(page, "review", "zh-CN");

  // ---- Switch to English in the header, by keyboard: at once, and remembered across a reload.
  const language = page.getByRole("combobox", { name: "语言" });
  await tabTo(page, language);
  await page.keyboard.press("ArrowUp");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review & preview");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect((await context.cookies()).find((c) => c.name === "stackpilot-locale")?.value).toBe("en");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review & preview");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("combobox", { name: "Language" })).toHaveValue("en");

  // ---- Back to Hosts through the step indicator, by keyboard; nothing typed before is lost.
  const stepsEn = page.getByRole("navigation", { name: "Wizard steps" });
  await expect(stepsEn.getByRole("listitem")).toHaveText([/^1Hosts$/, /^2Credentials$/, /^3Passwords & options●\(has problems\)$/, /^4Review & preview$/, /^5Deploy\(no deployment yet\)$/]);
  await tabTo(page, stepsEn.getByRole("link", { name: "Hosts" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hosts");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();

  // ---- Hosts (en)
  await expect(page.getByLabel("Target system")).toHaveValue("centos7-train");
  await expect(page.getByRole("columnheader")).toHaveText(["Name", "Role", "Management IP", "Second (NAT) IP", "SSH port", "Actions"]);
  await expect(page.getByLabel("Role of host 1").locator("option:checked")).toHaveText("controller");
  const ip1En = page.getByLabel("Management IP of host 1");
  await expect(ip1En).toHaveValue("192.168.100.110");
  await typeInto(page, ip1En, TYPO);
  await page.keyboard.press("Tab");
  const enError = `"${TYPO}" is not a valid IPv4 address (four numbers 0-255, like 192.168.100.110).`;
  await expect(page.getByText(enError)).toBeVisible();
  await expect(ip1En).toHaveAccessibleDescription(enError);
  await typeInto(page, ip1En, "192.168.100.110");
  await expect(page.getByText(enError)).toHaveCount(0);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);
  await shot(page, "hosts", "en");
  await pressNext(page, "Next: Credentials", /\/credentials$/, "Credentials");

  // ---- Credentials (en): the password typed in Chinese is saved and hidden.
  await expect(page.getByLabel("One set for all hosts")).toBeChecked();
  await expect(page.getByLabel("SSH user")).toHaveValue("root");
  await expect(page.getByText("Saved (hidden)")).toBeVisible();
  await expect(page.getByRole("group", { name: "SSH password" }).getByRole("button", { name: "Change SSH password" })).toBeVisible();
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);
  await shot(page, "credentials", "en");
  await pressNext(page, "Next: Passwords & options", /\/passwords$/, "Passwords & options");

  // ---- Passwords & options (en): the two passwords set in Chinese are saved.
  await expect(page.getByRole("heading", { name: "Service passwords" })).toBeVisible();
  await expect(page.getByRole("group", { name: "RabbitMQ password of the openstack user (RABBIT_PASS)" })).toContainText("Saved (hidden)");
  await expect(page.getByRole("group", { name: "OpenStack admin password (ADMIN_PASS)" })).toContainText("Saved (hidden)");
  await expect(page.getByLabel("Upstream NTP server for the controller")).toHaveValue("ntp6.aliyun.com");
  // "Change" opens the field and moves the keyboard into it.
  await tabTo(page, page.getByRole("button", { name: "Change RabbitMQ password of the openstack user (RABBIT_PASS)" }));
  await page.keyboard.press("Enter");
  const rabbitEn = page.getByLabel("RabbitMQ password of the openstack user (RABBIT_PASS)", { exact: true });
  await expect(rabbitEn).toBeFocused();
  await page.keyboard.type("Ab1!");
  await expect(page.getByText("Only 4 characters: use at least 12, or generate one.")).toBeVisible();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("correct-Horse-battery-7");
  await expect(page.getByText("Only 4 characters")).toHaveCount(0);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);
  await shot(page, "passwords", "en");
  await pressNext(page, "Next: Review & preview", /\/review$/, "Review & preview");

  // ---- Review (en)
  await expect(page.getByText("Before deploying:")).toBeVisible();
  await expect(page.getByText("Set the MariaDB root password (MARIADB_ROOT_PASS).")).toBeVisible();
  await expect(page.getByText("Set the RabbitMQ password of the openstack user (RABBIT_PASS).")).toHaveCount(0);
  await expect(page.getByText("CentOS 7 + OpenStack Train (the tutorial) · 3 hosts · one login for all: root with a password")).toBeVisible();
  await expect(page.getByText("What to install: Compute cloud")).toBeVisible();
  await expect(page.getByTestId("installs-controller")).toContainText("Compute (Nova) on the controller");
  await expect(page.getByRole("button", { name: "Check hosts" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Deploy", exact: true })).toBeDisabled();
  await expect(stepsEn.getByRole("link", { name: "Review & preview" })).toHaveAttribute("aria-current", "step");
  await expectTabOrderFollowsPage(page);
  await expectReadableText(page);
  await shot(page, "review", "en");
});
