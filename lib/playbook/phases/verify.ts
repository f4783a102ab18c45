import { script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";
import { ADMIN_OPENRC, TOKEN_ISSUE } from "./keystone";

/**
 * The tutorial's closing checks, run on every deployment (no check: never skipped), so every run
 * and its report carry what the cloud answers now: a token, the roles, the endpoints, the images.
 */
export function verifyPhase({ facts }: PhaseContext): Phase {
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
    ],
  };
}
