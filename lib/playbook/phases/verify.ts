import { GUEST_BOOTED_LINE, GUEST_IMAGE_NAME, GUEST_LOGIN_USER } from "../guestImage";
import { shellQuote } from "../../shell/quote";
import { script, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC, TOKEN_ISSUE } from "./keystone";
import { verifyNetworkStep, verifyVmStep, type VerifyImage } from "./firstVms";
import { statusCheck } from "./placement";

/**
 * The tutorial's closing checks, run on every deployment (no check: never skipped), so every run
 * and its report carry what the cloud answers now: a token, the roles, the endpoints, the images.
 * The compute scope adds what the guide checks for Nova and Placement.
 */
export function verifyPhase(ctx: PhaseContext): Phase {
  const { facts, input } = ctx;
  return {
    key: "verify",
    title: "Verification",
    steps: [
      {
        key: "verify.openstack",
        title: "token issue, role list, endpoint list, image list",
        roles: ["controller"],
        apply: script([`test -r ${ADMIN_OPENRC}`]),
        verify: script([`. ${ADMIN_OPENRC}`, TOKEN_ISSUE, "openstack role list", "openstack endpoint list", "openstack image list"]),
        services: [facts.keystone.service, ...facts.glance.services],
        timeoutSeconds: 180,
      },
      ...(input.scope === "compute" ? [computeVerifyStep(ctx), verifyNetworkStep(ctx), verifyVmStep(ctx, verifyImageOf(ctx))] : []),
    ],
  };
}

/** The guest the compute scope builds when the user uploaded no image of their own. */
export const GUEST_VERIFY_IMAGE: VerifyImage = { name: GUEST_IMAGE_NAME, loginUser: GUEST_LOGIN_USER, bootedMarker: GUEST_BOOTED_LINE };

/** The first VMs boot the user's uploaded image if there is one (its kernel's first console line proves the boot), else the built guest. */
export function verifyImageOf({ input }: PhaseContext): VerifyImage {
  const uploaded = input.uploadedImage;
  return uploaded ? { name: input.options.imageName, loginUser: uploaded.loginUser, bootedMarker: "Linux version" } : GUEST_VERIFY_IMAGE;
}

/**
 * Scheduler and conductor enabled and up on the controller and nova-compute on every compute (up
 * but disabled places nothing there: nova-compute disables itself when it loses libvirt); each compute
 * a hypervisor and a resource provider in Placement (named by its host name, or that name and a
 * domain); nova-status upgrade check passes.
 */
function computeVerifyStep({ facts, computes }: PhaseContext): Step {
  // One shell word per name: the loops go over the computes.
  const names = computes.map((h) => shellQuote(h.name)).join(" ");
  const fail = (what: string) => `{ echo ${shellQuote(what)} "$h" >&2; exit 1; }`;
  return {
    key: "verify.compute",
    title: "compute service list, hypervisor list, resource provider list, nova-status upgrade check",
    roles: ["controller"],
    apply: script([`test -r ${ADMIN_OPENRC}`]),
    verify: script([
      `. ${ADMIN_OPENRC}`,
      "openstack compute service list",
      "services=$(openstack compute service list -f value -c Binary -c Host -c Status -c State)",
      'for binary in nova-scheduler nova-conductor; do printf \'%s\\n\' "$services" | grep -qx "$binary $SP_CONTROLLER_NAME enabled up" || { echo "$binary is not enabled and up on $SP_CONTROLLER_NAME." >&2; exit 1; }; done',
      `for h in ${names}; do printf '%s\\n' "$services" | grep -qx "nova-compute $h enabled up" || ${fail("nova-compute is not enabled and up on")}; done`,
      "openstack hypervisor list",
      'hypervisors=$(openstack hypervisor list -f value -c "Hypervisor Hostname")',
      `for h in ${names}; do printf '%s\\n' "$hypervisors" | grep -qE "^$h(\\.|$)" || ${fail("No hypervisor for")}; done`,
      "openstack resource provider list",
      "providers=$(openstack resource provider list -f value -c name)",
      `for h in ${names}; do printf '%s\\n' "$providers" | grep -qE "^$h(\\.|$)" || ${fail("No resource provider in Placement for")}; done`,
      statusCheck("nova-status upgrade check"),
    ]),
    services: [...facts.nova.controllerServices, facts.placement.service],
    timeoutSeconds: 300,
  };
}
