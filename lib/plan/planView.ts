import { z } from "zod";
import { DEFAULT_SCOPE, PLAYBOOK_SCOPES } from "../playbook/scope";
import type { ServiceSecret } from "../playbook/serviceSecrets";
import type { PlanImageView } from "./planImage";
import { PROFILES } from "./profiles";
import type { RejectedValue } from "./rejectedValue";

/**
 * The plan as the wizard edits it and the API returns it. Secrets appear only as "is it set"
 * flags. Shapes are checked here; the rules a complete plan must meet are in validatePlan.ts, so
 * an unfinished plan can always be saved (the user loses nothing).
 */

export const WIZARD_STEPS = ["hosts", "credentials", "passwords", "review"] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const HOST_ROLES = ["controller", "compute"] as const;
export type HostRole = (typeof HOST_ROLES)[number];

export const AUTH_METHODS = ["password", "key"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const CREDENTIAL_MODES = ["shared", "perHost"] as const;
export type CredentialMode = (typeof CREDENTIAL_MODES)[number];

/** A text field: bounded, and never a NUL (no shell, file or C string can carry one). */
const text = (max: number) => z.string().max(max, `Too long: at most ${max} characters.`).refine((value) => !value.includes("\0"), "Cannot contain a NUL character.");

export const hostInputSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: text(253),
  role: z.enum(HOST_ROLES),
  managementIp: text(64),
  natIp: text(64),
  sshPort: z.number().int().min(0).max(1_000_000),
  sshUser: text(64),
  authMethod: z.enum(AUTH_METHODS),
});
export type HostInput = z.infer<typeof hostInputSchema>;

export const CENTOS_REPOSITORIES = ["vault", "tutorial-mirror", "custom"] as const;
export type CentosRepository = (typeof CENTOS_REPOSITORIES)[number];

export const planSettingsSchema = z.object({
  /** How much of the install guide the plan deploys (lib/playbook/scope.ts). */
  scope: z.enum(PLAYBOOK_SCOPES).default(DEFAULT_SCOPE),
  credentialMode: z.enum(CREDENTIAL_MODES).default("shared"),
  sharedSshUser: text(64).default("root"),
  sharedAuthMethod: z.enum(AUTH_METHODS).default("password"),
  /** The controller's upstream time server (the tutorial's by default). */
  ntpServer: text(253).default("ntp6.aliyun.com"),
  /** The management network that chrony serves; empty: the controller's management IP /24. */
  managementCidr: text(43).default(""),
  /** Where CentOS 7 packages come from now that its default mirrors are gone. */
  centosRepository: z.enum(CENTOS_REPOSITORIES).default("vault"),
  centosRepositoryUrl: text(2048).default(""),
  regionName: text(64).default("RegionOne"),
  /** The image Glance gets; without an uploaded file a tiny test image is made on the controller. */
  imageName: text(64).default("cirros"),
  /**
   * The compute scope's networks (lib/playbook/networkOptions.ts); empty: derived. The provider
   * network is the hosts' second network (their natIp), its floating IPs a range inside it; the
   * self-service network is the guide's VXLAN network for projects.
   */
  providerCidr: text(43).default(""),
  providerGateway: text(64).default(""),
  floatingIpStart: text(64).default(""),
  floatingIpEnd: text(64).default(""),
  selfServiceCidr: text(43).default(""),
});
export type PlanSettings = z.infer<typeof planSettingsSchema>;

export type SecretFlags = { passwordSet: boolean; privateKeySet: boolean };

/** A SHA256 host key fingerprint as `ssh-keygen -lf` prints it: "SHA256:" and 43 base64 characters. */
export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * The host's SSH key as pinned by the first successful connection (not a secret); the server's
 * plan view always has both (null: not pinned yet). Set by the server only: a save of the plan
 * never changes it, except that a new address or port clears it.
 */
export type HostKeyPin = { hostKeyFingerprint?: string | null; hostKeyPinnedAt?: string | null };

export type HostView = HostInput & SecretFlags & HostKeyPin;

/** "Trust the new key": the fingerprint the operator accepts for a host. */
export const trustHostKeySchema = z.object({ fingerprint: z.string().regex(HOST_KEY_FINGERPRINT, "Not a SHA256 host key fingerprint (SHA256:…).") });

export type PlanView = {
  id: string;
  name: string;
  profile: (typeof PROFILES)[number];
  wizardStep: WizardStep;
  settings: PlanSettings;
  sharedSecrets: SecretFlags;
  /** Which of the tutorial's service passwords are set (never their values). */
  serviceSecrets: Record<ServiceSecret, boolean>;
  hosts: HostView[];
  /** The VM image uploaded for the plan (null: none; the server's view always says). */
  uploadedImage?: PlanImageView | null;
  updatedAt: string;
};

/** What the wizard sends to save a plan. `secrets` maps a secret key to a new value, or null to clear it. */
export const planUpdateSchema = z.object({
  name: text(120).optional(),
  profile: z.enum(PROFILES).optional(),
  wizardStep: z.enum(WIZARD_STEPS).optional(),
  settings: planSettingsSchema.optional(),
  hosts: z.array(hostInputSchema).max(500).optional(),
  secrets: z.record(z.string(), z.string().max(16_384, "Too long: at most 16384 characters.").nullable()).optional(),
});
export type PlanUpdate = z.infer<typeof planUpdateSchema>;

/** What a save answers: the plan as stored now, and the values it did not take (everything else was saved). */
export type PlanSaved = PlanView & { rejected: RejectedValue[] };
