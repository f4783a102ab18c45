import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROFILES } from "../plan/profiles";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../playbook/planFile";
import { hasStepTitle, phaseTitle, stepTitle } from "./playbookTitles";

const tutorial = JSON.parse(readFileSync(fileURLToPath(new URL("../../examples/tutorial.plan.json", import.meta.url)), "utf8"));

/** The tutorial's plan, one with other values in the titles (image name, region), and the compute cloud. */
const PLANS = [
  tutorial,
  { ...tutorial, settings: { ...tutorial.settings, imageName: "zq-image.v1 & <b>", regionName: "Region-Two" } },
  { ...tutorial, scope: "compute" },
];

const playbooks = PROFILES.flatMap((profile) => PLANS.map((plan) => buildPlaybook(playbookInputFromFile(planFileSchema.parse({ ...plan, profile })))));
const CJK = /[\u4e00-\u9fff]/;

describe("phase and step titles in Chinese", () => {
  it("has a Chinese title for every phase and every step of both profiles", () => {
    const missing: string[] = [];
    for (const playbook of playbooks) {
      for (const phase of playbook.phases) {
        const zh = phaseTitle("zh-CN", phase.key, phase.title);
        if (!CJK.test(zh)) missing.push(`${playbook.profile} phase ${phase.key}: ${phase.title}`);
        for (const step of phase.steps) {
          const title = stepTitle("zh-CN", step.key, step.title);
          if (!hasStepTitle("zh-CN", step.key, step.title) || !CJK.test(title) || /\{\w+\}/.test(title)) missing.push(`${playbook.profile} ${step.key}: ${step.title}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("carries the plan's values over into the translation", () => {
    const [centos, centosOther] = playbooks;
    const image = (p: (typeof playbooks)[number]) => p.phases.flatMap((ph) => ph.steps).find((s) => s.key === "glance.image")!;
    expect(stepTitle("zh-CN", "glance.image", image(centos).title)).toBe("上传镜像 cirros");
    expect(stepTitle("zh-CN", "glance.image", image(centosOther).title)).toBe("上传镜像 zq-image.v1 & <b>");
    const bootstrap = centosOther.phases.flatMap((ph) => ph.steps).find((s) => s.key === "keystone.bootstrap")!;
    expect(stepTitle("zh-CN", "keystone.bootstrap", bootstrap.title)).toContain("Region-Two");
  });

  it("keeps the playbook's English title in English, for an unknown key, and for a title that changed", () => {
    expect(stepTitle("en", "mariadb.install", "Install MariaDB")).toBe("Install MariaDB");
    expect(stepTitle("zh-CN", "mariadb.install", "Install MariaDB")).toBe("安装 MariaDB");
    expect(stepTitle("zh-CN", "drill.gate", "Pass the gate")).toBe("Pass the gate");
    expect(stepTitle("zh-CN", "mariadb.install", "Install MariaDB 11 from upstream")).toBe("Install MariaDB 11 from upstream");
    // The drill's phase has the key "preflight" but another title: not the preflight's translation.
    expect(phaseTitle("zh-CN", "preflight", "Drill")).toBe("Drill");
    expect(phaseTitle("zh-CN", "preflight", "Preflight")).toBe("预检");
  });

  it("picks the profile's own wording where the titles differ", () => {
    expect(stepTitle("zh-CN", "keystone.web", "Keystone under uwsgi on :5000")).toMatch(/uwsgi/);
    expect(stepTitle("zh-CN", "keystone.web", "Apache with mod_wsgi serving Keystone on :5000")).toMatch(/Apache/);
    expect(stepTitle("zh-CN", "base.repositories", "Package lists")).toBe("更新软件包列表");
  });
});
