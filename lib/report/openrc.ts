import { ADMIN_OPENRC } from "../playbook/phases/keystone";

export { ADMIN_OPENRC };

/**
 * The text of the admin-openrc that the keystone.openrc step writes (adminOpenrcScript in
 * lib/playbook/phases/keystone.ts), with `password` in place of ADMIN_PASS: the report passes a
 * mask. A test runs the real script through bash and compares, so the two cannot drift apart.
 */
export function adminOpenrcText(controllerName: string, password: string): string {
  return [
    "export OS_USERNAME=admin",
    `export OS_PASSWORD=${password}`,
    "export OS_PROJECT_NAME=admin",
    "export OS_USER_DOMAIN_NAME=Default",
    "export OS_PROJECT_DOMAIN_NAME=Default",
    `export OS_AUTH_URL=http://${controllerName}:5000/v3`,
    "export OS_IDENTITY_API_VERSION=3",
    "export OS_IMAGE_API_VERSION=2",
    "",
  ].join("\n");
}
