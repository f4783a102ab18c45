import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planSettingsSchema } from "../../plan/planView";
import { allSteps, buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import { playbookInputFromPlan, type PlaybookInput, type UploadedImage } from "../playbookInput";
import { renderHostScript } from "../renderScript";
import { UPLOADED_IMAGE_DIR } from "./glance";

const tutorial = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../../examples/tutorial.plan.json", import.meta.url)), "utf8")));
const CIRROS: UploadedImage = { fileName: "cirros-0.3.5-x86_64-disk.img", bytes: 13_267_968, sha256: "f".repeat(64), diskFormat: "qcow2", loginUser: "cirros" };

function imageStep(input: PlaybookInput) {
  return allSteps(buildPlaybook(input)).find(({ step }) => step.key === "glance.image")!.step;
}

describe("glance.image", () => {
  it("with no upload sends nothing and registers a test disk it makes, as before", () => {
    const step = imageStep(playbookInputFromFile(tutorial));
    expect(step.upload).toBeUndefined();
    expect(step.apply.body).toContain('qemu-img create -q -f qcow2 "$file" 16M');
    expect(step.apply.body).toContain("format=qcow2\n");
    expect(step.check!.body).not.toContain("properties");
  });

  it("with an upload sends the file to the controller first and registers it with its disk format and digest", () => {
    const input = { ...playbookInputFromFile(tutorial), uploadedImage: { ...CIRROS, diskFormat: "raw" } };
    const step = imageStep(input);
    expect(step.upload).toEqual({ source: "plan-image", target: `${UPLOADED_IMAGE_DIR}/cirros` });
    expect(step.roles).toEqual(["controller"]);
    expect(step.apply.body).toContain("format=raw\n");
    expect(step.apply.body).toContain('--disk-format "$format"');
    expect(step.apply.body).toContain(`--property stackpilot_sha256=${"f".repeat(64)}`);
    // A missing file is an error, never a test disk in its place.
    expect(step.apply.body).not.toContain("qemu-img");
    // Another file uploaded since the image was registered: the check no longer says done.
    expect(step.check!.body).toContain(`grep -qF ${"f".repeat(64)}`);
  });

  it("is the only step that sends a file", () => {
    const input = { ...playbookInputFromFile(tutorial), uploadedImage: CIRROS };
    for (const scope of ["tutorial", "compute"] as const) {
      const uploading = allSteps(buildPlaybook({ ...input, scope })).filter(({ step }) => step.upload);
      expect(uploading.map(({ step }) => step.key)).toEqual(["glance.image"]);
    }
  });
});

describe("the exported host scripts", () => {
  it("tell a person running the controller's script by hand to copy the uploaded image first, and the others nothing", () => {
    const input = { ...playbookInputFromFile(tutorial), uploadedImage: CIRROS };
    const playbook = buildPlaybook(input);
    const [controller, compute] = [input.hosts.find((h) => h.role === "controller")!, input.hosts.find((h) => h.role === "compute")!];
    expect(renderHostScript(playbook, controller, input)).toContain(`# Needs ${UPLOADED_IMAGE_DIR}/cirros: copy the image uploaded in the wizard there first.`);
    expect(renderHostScript(playbook, compute, input)).not.toContain(UPLOADED_IMAGE_DIR);
    expect(renderHostScript(buildPlaybook(playbookInputFromFile(tutorial)), controller, input)).not.toContain("copy the image");
  });
});

describe("playbookInputFromPlan", () => {
  const plan = (uploadedImage?: (UploadedImage & { uploadedAt: string }) | null) => ({
    profile: "debian12-zed" as const,
    settings: planSettingsSchema.parse({}),
    hosts: [{ id: "h1", name: "ct", role: "controller" as const, managementIp: "10.0.0.1", natIp: "10.1.0.1", sshPort: 22, sshUser: "root", authMethod: "password" as const, passwordSet: false, privateKeySet: false }],
    uploadedImage,
  });

  it("gives the playbook the uploaded image's name, size, digest, format and login user, and nothing when there is none", () => {
    expect(playbookInputFromPlan(plan({ ...CIRROS, uploadedAt: "2026-12-08T00:00:00.000Z" })).uploadedImage).toEqual(CIRROS);
    expect(playbookInputFromPlan(plan(null))).not.toHaveProperty("uploadedImage");
    expect(playbookInputFromPlan(plan())).not.toHaveProperty("uploadedImage");
  });
});
