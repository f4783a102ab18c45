import { shellQuote } from "../../shell/quote";
import { script, type IniSetting, type PhaseContext } from "../phaseContext";
import type { ServiceSecret } from "../serviceSecrets";
import type { Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";

/** A service as Keystone knows it: its user (whose password is `secret`), its catalog entry and endpoint URL. */
export type ServiceIdentity = { user: string; secret: ServiceSecret; name: string; type: string; description: string; url: string };

/**
 * The guide's user create (admin in the service project), service create and the three endpoint
 * creates, each skipped when it exists; the user's password is set again from the plan.
 */
export function serviceIdentityStep({ facts, input }: PhaseContext, phase: string, identity: ServiceIdentity): Step {
  const { user, secret, name, type, description, url } = identity;
  const region = shellQuote(input.options.regionName);
  const interfaces = ["public", "internal", "admin"];
  const endpointThing = (iface: string) => `endpoint ${type} ${iface} ${region} ${shellQuote(url)}`;
  // The client's own check once the apply is done (not in the check: every client start costs seconds).
  const canLogIn = `OS_USERNAME=${user} OS_PASSWORD="$${secret}" OS_PROJECT_NAME=service openstack token issue -f value -c expires >/dev/null`;
  return {
    key: `${phase}.identity`,
    title: `User ${user} (admin in service), the ${type} service and its three endpoints`,
    roles: ["controller"],
    check: script(
      [`. ${ADMIN_OPENRC}`, `sp_os_has login ${user} service ${secret} assignment ${user} service admin ${interfaces.map(endpointThing).join(" ")}`],
      [secret],
    ),
    apply: script(
      [
        `sp_need ${secret}`,
        `. ${ADMIN_OPENRC}`,
        // The password goes from the environment to Keystone's API, never into an argv.
        `sp_os_user ${user} ${secret}`,
        `openstack role add --project service --user ${user} admin`,
        `sp_os_has service ${type} || openstack service create --name ${name} --description ${JSON.stringify(description)} ${type}`,
        ...interfaces.map((iface) => `sp_os_has ${endpointThing(iface)} || openstack endpoint create --region ${region} ${type} ${iface} ${shellQuote(url)}`),
        canLogIn,
      ],
      [secret],
    ),
    verify: script([`. ${ADMIN_OPENRC}`, `openstack endpoint list --service ${type}`]),
    // Every call here goes to Keystone.
    services: [facts.keystone.service],
    timeoutSeconds: 300,
  };
}

/**
 * [keystone_authtoken] for a service user, as the guides write it, with the plan's region
 * (Debian's packages write their own, regionOne, and tokens are then refused).
 */
export function keystoneAuthtokenSettings({ controller, input }: PhaseContext, user: string, secret: ServiceSecret, authUrl = `http://${controller.name}:5000`): IniSetting[] {
  return [
    ["keystone_authtoken", "www_authenticate_uri", `http://${controller.name}:5000`],
    ["keystone_authtoken", "auth_url", authUrl],
    ["keystone_authtoken", "memcached_servers", `${controller.name}:11211`],
    ["keystone_authtoken", "auth_type", "password"],
    ["keystone_authtoken", "project_domain_name", "Default"],
    ["keystone_authtoken", "user_domain_name", "Default"],
    ["keystone_authtoken", "project_name", "service"],
    ["keystone_authtoken", "username", user],
    ["keystone_authtoken", "region_name", input.options.regionName],
    // oslo.config reads "$name" as a reference: a literal $ is written $$.
    ["keystone_authtoken", "password", [{ secret, escape: "oslo" }]],
  ];
}
