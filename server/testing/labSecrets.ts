import { ALL_SERVICE_SECRETS, type ServiceSecret } from "@/lib/playbook/serviceSecrets";

/**
 * The service passwords the lab tests deploy with: the characters that break naive quoting, and
 * letters outside ASCII, in every one. The browser tests type the same ones, so their deployment
 * of the already deployed lab finds every step done.
 */
export const LAB_SERVICE_SECRETS = Object.fromEntries(ALL_SERVICE_SECRETS.map((name, i) => [name, `${name.toLowerCase()} '"$\`\\;&|<> ü密${i}`])) as Record<ServiceSecret, string>;
