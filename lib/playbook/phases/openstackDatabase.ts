import { shellQuote } from "../../shell/quote";
import { allOf, script, type PhaseContext } from "../phaseContext";
import type { ServiceSecret } from "../serviceSecrets";
import type { Step } from "../types";

/**
 * A service's database and its user, reachable from localhost and the network with the plan's
 * password: the tutorial's CREATE DATABASE and two GRANTs. Re-applying resets the password.
 */
export function openstackDatabaseStep({ controller, facts }: PhaseContext, service: string, secret: ServiceSecret): Step {
  const db = shellQuote(service);
  return {
    key: `${service}.database`,
    title: `Database ${service} and its user`,
    roles: ["controller"],
    check: allOf([`sp_db_login ${db} ${secret} ${shellQuote(controller.name)} ${db}`, `sp_db_login ${db} ${secret} localhost ${db}`], [secret]),
    apply: script(
      [
        `sp_need MARIADB_ROOT_PASS ${secret}`,
        `pw=$(printf '%s' "$${secret}" | sp_escape sql)`,
        // SQL goes to mysql on stdin (no here-document: step bodies are indented in exported scripts).
        "{",
        `  echo "CREATE DATABASE IF NOT EXISTS ${service};"`,
        `  printf "GRANT ALL PRIVILEGES ON ${service}.* TO '${service}'@'localhost' IDENTIFIED BY '%s';\\n" "$pw"`,
        `  printf "GRANT ALL PRIVILEGES ON ${service}.* TO '${service}'@'%%' IDENTIFIED BY '%s';\\n" "$pw"`,
        '  echo "FLUSH PRIVILEGES;"',
        "} | sp_mysql",
      ],
      ["MARIADB_ROOT_PASS", secret],
    ),
    // What answers the GRANTs: a wrong password or a stopped server shows in its journal.
    services: [facts.mariadb.service],
    timeoutSeconds: 120,
  };
}
