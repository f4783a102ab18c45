import type { HostRole, PlanSettings, PlanView } from "../plan/planView";
import type { ProfileName } from "../plan/profiles";
import { scopeOf, type PlaybookScope } from "./scope";

/** How a compute's hypervisor runs guests: "kvm" only where a guest can really use /dev/kvm. */
export const VIRT_TYPES = ["kvm", "qemu"] as const;
export type VirtType = (typeof VIRT_TYPES)[number];

/**
 * What the playbook needs of a plan: hosts and options, never credentials or secret values.
 * `virtType`: what the host check's KVM probe found (unset: not checked, the host probes itself when the step runs).
 */
export type PlaybookHost = { id: string; name: string; role: HostRole; managementIp: string; natIp: string; virtType?: VirtType };

/**
 * An image file the user uploaded in the wizard, as the playbook needs it: the glance phase sends
 * it to the controller (UPLOADED_IMAGE_DIR) and registers it instead of making one; the compute
 * scope's VMs boot it, and the verification logs in to it as `loginUser`.
 */
export type UploadedImage = { fileName: string; bytes: number; sha256: string; diskFormat: string; loginUser: string };

export type PlaybookInput = {
  profile: ProfileName;
  scope: PlaybookScope;
  hosts: PlaybookHost[];
  /** Unset: no file uploaded (the tutorial scope makes an empty test disk, the compute scope builds its own guest). */
  uploadedImage?: UploadedImage;
  options: Omit<PlanSettings, "scope" | "credentialMode" | "sharedSshUser" | "sharedAuthMethod"> & { managementCidr: string };
};

/** A plan as stored, or as a run's snapshot has it (a snapshot from before scopes has no scope: the tutorial's). */
type PlanForPlaybook = Pick<PlanView, "profile"> & {
  settings: Omit<PlanSettings, "scope"> & { scope?: PlaybookScope };
  hosts: (PlanView["hosts"][number] & { virtType?: VirtType })[];
  /** The plan view's (or the run snapshot's) uploaded image; absent or null: none. */
  uploadedImage?: UploadedImage | null;
};

/** A plan's scope, hosts and options. */
export function playbookInputFromPlan(plan: PlanForPlaybook): PlaybookInput {
  const hosts = plan.hosts.map((h) => ({
    id: h.id,
    name: h.name.trim(),
    role: h.role,
    managementIp: h.managementIp.trim(),
    natIp: h.natIp.trim(),
    ...(h.virtType ? { virtType: h.virtType } : {}),
  }));
  const { scope: _s, credentialMode: _m, sharedSshUser: _u, sharedAuthMethod: _a, ...options } = plan.settings;
  const controller = hosts.find((h) => h.role === "controller");
  const managementCidr = options.managementCidr.trim() || (controller ? `${controller.managementIp.split(".").slice(0, 3).join(".")}.0/24` : "");
  // Validation trims these too: what was checked is what the scripts get.
  const ntpServer = options.ntpServer.trim();
  const centosRepositoryUrl = options.centosRepositoryUrl.trim();
  const uploadedImage = plan.uploadedImage ? uploadedImageOf(plan.uploadedImage) : undefined;
  return { profile: plan.profile, scope: scopeOf(plan.settings), hosts, ...(uploadedImage ? { uploadedImage } : {}), options: { ...options, ntpServer, centosRepositoryUrl, managementCidr } };
}

/** Only what the playbook needs of a stored image (the view also says when it was uploaded). */
function uploadedImageOf({ fileName, bytes, sha256, diskFormat, loginUser }: UploadedImage): UploadedImage {
  return { fileName, bytes, sha256, diskFormat, loginUser };
}
