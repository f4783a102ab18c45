/**
 * The secrets the tutorial uses, under the tutorial's own names. Steps refer to them as
 * environment variables; the runner sends their values inside the script on stdin, and the
 * exported scripts refuse to run when one is unset.
 */
export const SERVICE_SECRETS = ["MARIADB_ROOT_PASS", "RABBIT_PASS", "KEYSTONE_DBPASS", "ADMIN_PASS", "GLANCE_DBPASS", "GLANCE_PASS"] as const;
export type ServiceSecret = (typeof SERVICE_SECRETS)[number];

export const SERVICE_SECRET_LABELS: Record<ServiceSecret, string> = {
  MARIADB_ROOT_PASS: "MariaDB root password",
  RABBIT_PASS: "RabbitMQ password of the openstack user",
  KEYSTONE_DBPASS: "Keystone database password",
  ADMIN_PASS: "OpenStack admin password",
  GLANCE_DBPASS: "Glance database password",
  GLANCE_PASS: "Glance service user password",
};

export function serviceSecretKey(name: ServiceSecret): string {
  return `service.${name}`;
}
