import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  GUEST_BUILD_DIR,
  GUEST_IMAGE_NAME,
  GUEST_KERNEL_IMAGE_NAME,
  GUEST_LOGIN_USER,
  GUEST_RAMDISK_IMAGE_NAME,
  guestBuildLines,
  guestImageStep,
  guestImageUnsupportedReason,
  guestRegisterLines,
} from "./guestImage";
import type { PhaseContext } from "./phaseContext";
import { ADMIN_OPENRC } from "./phases/keystone";
import { planFileSchema, playbookInputFromFile } from "./planFile";
import { DISTRO_FACTS } from "./profiles";
import { centos7Train } from "./profiles/centos7Train";
import { debian12Zed } from "./profiles/debian12Zed";
import { scriptLibrary } from "./scriptLibrary";

const file = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../examples/cloud.plan.json", import.meta.url)), "utf8")));

function contextFor(profile: "debian12-zed" | "centos7-train"): PhaseContext {
  const input = playbookInputFromFile({ ...file, profile });
  const controller = input.hosts.find((h) => h.role === "controller")!;
  return { input, facts: DISTRO_FACTS[profile], controller, computes: input.hosts.filter((h) => h.role === "compute") };
}

const step = guestImageStep(contextFor("debian12-zed"));

/**
 * Glance as far as the step uses it, kept in a directory (one file per image: name, status,
 * kernel_id, ramdisk_id); deletions and creations are logged to $GLANCE.log.
 */
const FAKE_OPENSTACK = String.raw`
openstack() {
  local verb="$1 $2" name="" file="" kernel=- ramdisk=- format=- columns=0 id f n s k r d
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --name) name=$2; shift 2 ;;
      --file) file=$2; shift 2 ;;
      --property) case "$2" in kernel_id=*) kernel=${"$"}{2#kernel_id=} ;; ramdisk_id=*) ramdisk=${"$"}{2#ramdisk_id=} ;; esac; shift 2 ;;
      -c) columns=$((columns + 1)); shift 2 ;;
      --disk-format) format=$2; shift 2 ;;
      --container-format|-f) shift 2 ;;
      --*) shift ;;
      *) name=$1; shift ;;
    esac
  done
  case "$verb" in
    "image list")
      for f in "$GLANCE"/*; do
        [ -e "$f" ] || continue
        read -r n s k r d <"$f"
        [ "$n" = "$name" ] || continue
        if [ $columns -eq 2 ]; then echo "$(basename "$f") $s"; else basename "$f"; fi
      done ;;
    "image delete") rm "$GLANCE/$name"; echo "delete $name" >>"$GLANCE.log" ;;
    "image create")
      [ -s "$file" ] || { echo "no file $file" >&2; return 1; }
      id=$(($(cat "$GLANCE.counter" 2>/dev/null || echo 0) + 1)); echo $id >"$GLANCE.counter"; id="img-$id"
      echo "$name active $kernel $ramdisk $format" >"$GLANCE/$id"
      echo "create $name" >>"$GLANCE.log"
      echo "$id" ;;
    "image show")
      for f in "$GLANCE"/*; do
        read -r n s k r d <"$f"
        [ "$n" = "$name" ] && { printf '{"disk_format": "%s", "properties": {"kernel_id": "%s", "ramdisk_id": "%s"}}\n' "$d" "$k" "$r"; return 0; }
      done
      return 1 ;;
  esac
}
`;

/** A Glance with these images (name, status, kernel_id, ramdisk_id) and a built guest to register. */
const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fakeGlance(existing: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), "sp-guest-image-"));
  sandboxes.push(root);
  const glance = path.join(root, "glance");
  spawnSync("mkdir", ["-p", glance, path.join(root, "guest")]);
  for (const [id, line] of Object.entries(existing)) writeFileSync(path.join(glance, id), `${line}\n`);
  writeFileSync(path.join(root, "admin-openrc"), "export OS_USERNAME=admin\n");
  writeFileSync(path.join(root, "guest", "vmlinuz"), "kernel");
  writeFileSync(path.join(root, "guest", "initrd.gz"), "initramfs");

  function run(body: string) {
    const text = body.replaceAll(ADMIN_OPENRC, path.join(root, "admin-openrc")).replaceAll(GUEST_BUILD_DIR, path.join(root, "guest"));
    return spawnSync("bash", ["-c", ["set -eo pipefail", scriptLibrary(debian12Zed), FAKE_OPENSTACK, text].join("\n")], { encoding: "utf8", env: { ...process.env, GLANCE: glance } });
  }
  const register = () => run(guestRegisterLines(GUEST_BUILD_DIR).join("\n"));
  const checkPasses = () => run(step.check!.body).status === 0;
  const log = () => (readdirSync(root).includes("glance.log") ? readFileSync(`${glance}.log`, "utf8").trim().split("\n") : []);
  const images = () => readdirSync(glance).map((id) => readFileSync(path.join(glance, id), "utf8").trim()).sort();
  return { register, checkPasses, log, images };
}

describe("the test guest step (glance.guest-image)", () => {
  it("runs on the controller with a check, a title that says what it does, and room for a kernel download", () => {
    expect(step).toMatchObject({ key: "glance.guest-image", roles: ["controller"], title: "Build a test guest from Debian packages (kernel, busybox, dropbear) and register it in Glance" });
    expect(step.services).toEqual(debian12Zed.glance.services);
    expect(step.timeoutSeconds).toBeGreaterThanOrEqual(600);
    expect(GUEST_IMAGE_NAME).toBe("stackpilot-guest");
    expect(GUEST_LOGIN_USER).toBe("root");
  });

  it("builds from Debian packages without installing them, and names nothing cirros", () => {
    const apply = step.apply.body;
    expect(apply).toContain("apt-get download");
    expect(apply).not.toMatch(/apt-get install|dpkg -i/);
    for (const line of guestBuildLines(GUEST_BUILD_DIR)) expect(apply).toContain(line);
    for (const script of [step.check, step.apply, step.verify]) expect(script?.body.toLowerCase()).not.toContain("cirros");
    expect(step.apply.secrets).toEqual([]);
  });

  it("is not for CentOS 7 (no Debian packages there): the tutorial's cirros image is", () => {
    expect(guestImageUnsupportedReason(debian12Zed)).toBeNull();
    expect(guestImageUnsupportedReason(centos7Train)).toMatch(/upload the tutorial's cirros image/);
    expect(() => guestImageStep(contextFor("centos7-train"))).toThrow(/centos7-train/);
  });

  it("registers the kernel (aki), the initramfs (ari) and a machine image (ami) that names both and puts the console on the serial port", () => {
    const glance = fakeGlance();
    expect(glance.checkPasses()).toBe(false);
    const registered = glance.register();
    expect(registered.status, registered.stderr).toBe(0);
    expect(glance.images()).toEqual([`${GUEST_IMAGE_NAME} active img-1 img-2 raw`, `${GUEST_RAMDISK_IMAGE_NAME} active - - ari`, `${GUEST_KERNEL_IMAGE_NAME} active - - aki`]);
    expect(glance.checkPasses()).toBe(true);
    const lines = guestRegisterLines(GUEST_BUILD_DIR).join("\n");
    expect(lines).toContain(`--disk-format aki --container-format aki --file "$dir/vmlinuz" -f value -c id ${GUEST_KERNEL_IMAGE_NAME}`);
    expect(lines).toContain(`--disk-format ari --container-format ari --file "$dir/initrd.gz" -f value -c id ${GUEST_RAMDISK_IMAGE_NAME}`);
    expect(lines).toContain("--property os_command_line=console=ttyS0");
    expect(lines.match(/--public/g)).toHaveLength(3);
  });

  it("is done when the three images are active and the machine image names the other two", () => {
    const done = fakeGlance({ k1: `${GUEST_KERNEL_IMAGE_NAME} active - -`, r1: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, m1: `${GUEST_IMAGE_NAME} active k1 r1 raw` });
    expect(done.checkPasses()).toBe(true);
    const stale = fakeGlance({ k2: `${GUEST_KERNEL_IMAGE_NAME} active - -`, r1: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, m1: `${GUEST_IMAGE_NAME} active k1 r1 raw` });
    expect(stale.checkPasses(), "the machine image names a kernel that is gone").toBe(false);
    const queued = fakeGlance({ k1: `${GUEST_KERNEL_IMAGE_NAME} queued - -`, r1: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, m1: `${GUEST_IMAGE_NAME} active k1 r1 raw` });
    expect(queued.checkPasses(), "the kernel's upload never finished").toBe(false);
    const ami = fakeGlance({ k1: `${GUEST_KERNEL_IMAGE_NAME} active - -`, r1: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, m1: `${GUEST_IMAGE_NAME} active k1 r1 ami` });
    expect(ami.checkPasses(), "a machine image stored as ami, which Nova refuses to boot").toBe(false);
    const twice = fakeGlance({ k1: `${GUEST_KERNEL_IMAGE_NAME} active - -`, k0: `${GUEST_KERNEL_IMAGE_NAME} active - -`, r1: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, m1: `${GUEST_IMAGE_NAME} active k1 r1 raw` });
    expect(twice.checkPasses(), "two kernels of that name").toBe(false);
  });

  it("replaces what a half-finished attempt left (a queued kernel, a duplicate ramdisk) instead of adding to it", () => {
    const glance = fakeGlance({ old1: `${GUEST_KERNEL_IMAGE_NAME} queued - -`, old2: `${GUEST_RAMDISK_IMAGE_NAME} active - -`, old3: `${GUEST_RAMDISK_IMAGE_NAME} active - -` });
    const registered = glance.register();
    expect(registered.status, registered.stderr).toBe(0);
    expect(glance.log()).toEqual(["delete old1", "delete old2", "delete old3", `create ${GUEST_KERNEL_IMAGE_NAME}`, `create ${GUEST_RAMDISK_IMAGE_NAME}`, `create ${GUEST_IMAGE_NAME}`]);
    expect(registered.stdout).toContain(`Deleting the image ${GUEST_KERNEL_IMAGE_NAME} (old1) an earlier attempt left`);
    expect(glance.checkPasses()).toBe(true);
  });
});
