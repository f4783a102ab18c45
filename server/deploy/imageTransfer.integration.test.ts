import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { script } from "@/lib/playbook/phaseContext";
import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import type { Playbook } from "@/lib/playbook/types";
import type { TransferView } from "@/lib/realtime/runEvents";
import type { RunView } from "@/lib/runs/runView";
import { drillPlanUpdate } from "../testing/drillPlan";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { createTestContext, type TestContext } from "../testing/testContext";

/**
 * A step with an upload (Step.upload, as glance.image has with an uploaded image) on a real sshd:
 * the plan's image goes over SFTP before apply, its progress is published live, a second run finds
 * it there, and a cancel stops it mid-way.
 */

const CT = "127.0.0.246";
const PORT = 2246;
const USER = "sp-image";

const remoteDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-image-host-"));
const target = path.join(remoteDir, "cirros");
const image = randomBytes(48 * 1024 * 1024);
Buffer.from([0x51, 0x46, 0x49, 0xfb]).copy(image);
const sha256 = createHash("sha256").update(image).digest("hex");

/** The upload, then an apply that proves the file is there (what glance.image's apply does with it). */
const playbookFor = (input: PlaybookInput): Playbook => ({
  profile: input.profile,
  phases: [
    {
      key: "glance",
      title: "Image service (Glance)",
      steps: [
        {
          key: "glance.image",
          title: "Upload the image cirros",
          roles: ["controller"],
          ...(input.uploadedImage ? { upload: { source: "plan-image", target } as const } : {}),
          apply: script([`[ "$(sha256sum < ${target} | cut -d' ' -f1)" = ${input.uploadedImage?.sha256} ]`, `echo "registered as ${input.uploadedImage?.diskFormat}"`]),
          timeoutSeconds: 60,
        },
      ],
    },
  ],
});

let ct: LoopbackSshd;
let ctx: TestContext;
let planId: string;
const transfers: TransferView[] = [];

beforeAll(async () => {
  ct = await startLoopbackSshd({ address: CT, port: PORT, user: USER });
  execFileSync("chmod", ["777", remoteDir]);
  ctx = await createTestContext({ SSH_READY_TIMEOUT_MS: 3000 }, { playbookFor });
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  await ctx.plans.update(planId, drillPlanUpdate(plan.settings, [ct], (n) => `${n}-secret-${randomBytes(4).toString("hex")}`));
  await ctx.images.receive(planId, "cirros-0.3.5-x86_64-disk.img", Readable.from([image]));
  ctx.hub.subscribe((event) => event.type === "transfer" && transfers.push(event.transfer));
});

afterAll(async () => {
  await ctx?.dispose();
  await ct?.stop();
  rmSync(remoteDir, { recursive: true, force: true });
});

const plan = async () => (await ctx.plans.loadForRun(planId))!;

async function finished(runId: string): Promise<RunView> {
  await ctx.deploy.idle();
  return (await ctx.runs.get(runId))!;
}

async function logOf(runId: string): Promise<string> {
  const lines = await ctx.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } });
  return lines.map((l) => l.text).join("\n");
}

describe("sending the plan's image to the controller over SFTP", () => {
  it("sends it before apply, with its progress live on the step run, and nothing half-sent left at the target", async () => {
    transfers.length = 0;
    const { run } = await ctx.deploy.start(await plan());
    const after = await finished(run.id);
    expect(after.status).toBe("succeeded");
    expect(readFileSync(target).equals(image)).toBe(true);
    expect(readdirSync(remoteDir)).toEqual(["cirros"]);
    const stepRunId = after.stepRuns[0].id;
    expect(transfers.length).toBeGreaterThanOrEqual(2);
    expect(transfers.every((t) => t.stepRunId === stepRunId && t.totalBytes === image.length)).toBe(true);
    expect(transfers.map((t) => t.sentBytes)).toEqual([...transfers.map((t) => t.sentBytes)].sort((a, b) => a - b));
    expect(transfers.at(-1)!.sentBytes).toBe(image.length);
    const log = await logOf(run.id);
    expect(log).toContain(`Sending cirros-0.3.5-x86_64-disk.img (48 MiB, qcow2) to ct:${target}`);
    expect(log).toMatch(/✓ Sent in [\d.]+ s/);
    expect(log).toContain("registered as qcow2");
    expect(log).not.toContain(ct.password);
  });

  it("sends nothing when the controller has the file already, same size and SHA-256", async () => {
    transfers.length = 0;
    const { run } = await ctx.deploy.start(await plan());
    expect((await finished(run.id)).status).toBe("succeeded");
    expect(transfers).toEqual([]);
    expect(await logOf(run.id)).toContain("ct has this file already (same size and SHA-256): not sent again.");
  });

  it("sends it again over a file of the same size with other bytes", async () => {
    const tampered = Buffer.from(image);
    tampered[tampered.length - 1] ^= 0xff;
    execFileSync("dd", [`of=${target}`, "status=none"], { input: tampered });
    const { run } = await ctx.deploy.start(await plan());
    expect((await finished(run.id)).status).toBe("succeeded");
    expect(createHash("sha256").update(readFileSync(target)).digest("hex")).toBe(sha256);
  });

  it("stops the transfer on cancel, leaves the target alone, and a resume sends it whole", async () => {
    rmSync(target);
    transfers.length = 0;
    const { run } = await ctx.deploy.start(await plan());
    const cancelled = new Promise<void>((resolve) => {
      const stop = ctx.hub.subscribe((event) => {
        if (event.type !== "transfer") return;
        stop();
        void ctx.deploy.cancel(run.id).then(() => resolve());
      });
    });
    await cancelled;
    const after = await finished(run.id);
    expect(after.status).toBe("cancelled");
    expect(after.stepRuns[0].status).toBe("cancelled");
    expect(transfers.at(-1)!.sentBytes).toBeLessThan(image.length);
    expect(existsSync(target)).toBe(false);

    const resumed = await ctx.deploy.resume(run.id, await plan());
    const done = await finished(resumed.id);
    expect(done.status).toBe("succeeded");
    expect(done.stepRuns[0].attempt).toBe(2);
    expect(readFileSync(target).equals(image)).toBe(true);
    expect(readdirSync(remoteDir)).toEqual(["cirros"]);
  });

  it("fails the step with a plain message when the image was removed from the plan after the run was planned", async () => {
    const planned = await plan();
    await ctx.images.remove(planId);
    const { run } = await ctx.deploy.start(planned);
    const after = await finished(run.id);
    expect(after.status).toBe("failed");
    expect(after.stepRuns[0].error).toMatch(/^The image uploaded for this plan is no longer the one this run sends: upload it again/);
  });
});
