import type { PlaybookScope } from "./scope";

/**
 * The secrets the tutorial uses, under the tutorial's own names, in the order the wizard shows
 * them. Steps refer to them as environment variables; the runner sends their values inside the
 * script on stdin, and the exported scripts refuse to run when one is unset.
 */
export const SERVICE_SECRETS = ["MARIADB_ROOT_PASS", "RABBIT_PASS", "KEYSTONE_DBPASS", "ADMIN_PASS", "GLANCE_DBPASS", "GLANCE_PASS"] as const;

/** What the compute scope needs on top, under the install guide's names. */
export const COMPUTE_SERVICE_SECRETS = ["PLACEMENT_DBPASS", "PLACEMENT_PASS", "NOVA_DBPASS", "NOVA_PASS", "NEUTRON_DBPASS", "NEUTRON_PASS", "METADATA_SECRET"] as const;

/** Every secret any scope uses. */
export const ALL_SERVICE_SECRETS = [...SERVICE_SECRETS, ...COMPUTE_SERVICE_SECRETS] as const;
export type ServiceSecret = (typeof ALL_SERVICE_SECRETS)[number];

/** The secrets a plan of this scope needs, in the order they are asked for. */
export function serviceSecretsFor(scope: PlaybookScope): readonly ServiceSecret[] {
  return scope === "compute" ? ALL_SERVICE_SECRETS : SERVICE_SECRETS;
}

export const SERVICE_SECRET_LABELS: Record<ServiceSecret, string> = {
  MARIADB_ROOT_PASS: "MariaDB root password",
  RABBIT_PASS: "RabbitMQ password of the openstack user",
  KEYSTONE_DBPASS: "Keystone database password",
  ADMIN_PASS: "OpenStack admin password",
  GLANCE_DBPASS: "Glance database password",
  GLANCE_PASS: "Glance service user password",
  PLACEMENT_DBPASS: "Placement database password",
  PLACEMENT_PASS: "Placement service user password",
  NOVA_DBPASS: "Nova database password",
  NOVA_PASS: "Nova service user password",
  NEUTRON_DBPASS: "Neutron database password",
  NEUTRON_PASS: "Neutron service user password",
  METADATA_SECRET: "Metadata proxy shared secret (Nova and Neutron)",
};

export function serviceSecretKey(name: ServiceSecret): string {
  return `service.${name}`;
}
