import type { HostRole } from "../plan/planView";
import type { ProfileName } from "../plan/profiles";
import type { ServiceSecret } from "./serviceSecrets";

/**
 * The playbook: what to run, as plain data. Built from a plan by pure functions (buildPlaybook),
 * executed by the runner, shown by the preview and exported as scripts.
 */

/** A TCP port a step expects open once it is done, checked from the wizard and from other hosts. */
export type PortExpectation = {
  port: number;
  /** Which host listens (by role). */
  on: HostRole;
  /** Also check from these roles' hosts (the tutorial checks from the computes). */
  fromRoles: HostRole[];
  label: string;
};

/** A bash script and what it needs. Scripts read secrets only from the environment. */
export type Script = {
  body: string;
  secrets: ServiceSecret[];
};

/**
 * A file this server sends to the step's host over SFTP before apply (after a check that says the
 * step is not done yet). Skipped when the host has the file already, same size and SHA-256.
 * "plan-image": the VM image uploaded for the plan (PlaybookInput.uploadedImage).
 */
export type StepUpload = { source: "plan-image"; /** Absolute path on the host. */ target: string };

export type Step = {
  /** Stable id, "<phase>.<name>", e.g. "mariadb.install". */
  key: string;
  title: string;
  /** The hosts it runs on, by role. */
  roles: HostRole[];
  /** Exit 0 means "already done": the step is skipped. No check: the step always applies. */
  check?: Script;
  apply: Script;
  /** Must exit 0 after apply; its output is kept (the report shows it). */
  verify?: Script;
  ports?: PortExpectation[];
  upload?: StepUpload;
  /**
   * The systemd units this step installs, configures, starts or talks to (from the distro facts),
   * as `systemctl` names them. When the step fails, triage shows their status and journal.
   */
  services?: string[];
  /**
   * Runs after apply or a passing check; prints NAME=value lines that later steps get as
   * environment variables (the controller's public key for ssh-trust, for example).
   */
  outputs?: { names: string[]; script: Script };
  /** Variables this step reads that an earlier step's outputs provide. */
  imports?: string[];
  timeoutSeconds: number;
  /** Applying twice must be harmless; a step that is not says why here (shown in the preview). */
  note?: string;
};

export type PhaseKey =
  | "preflight"
  | "base"
  | "ssh-trust"
  | "chrony"
  | "mariadb"
  | "rabbitmq"
  | "memcached"
  | "etcd"
  | "keystone"
  | "glance"
  | "placement"
  | "nova"
  | "nova-compute"
  | "neutron"
  | "neutron-agents"
  | "verify";

export type Phase = {
  key: PhaseKey;
  title: string;
  steps: Step[];
};

export type Playbook = {
  profile: ProfileName;
  phases: Phase[];
};
