import { shellQuote } from "../../shell/quote";
import { allOf, script, type PhaseContext } from "../phaseContext";
import type { ServiceSecret } from "../serviceSecrets";
import type { Step } from "../types";

/**
 * A service's databases and their user, reachable from localhost and the network with the plan's
 * password: the guide's CREATE DATABASE and two GRANTs per database. Re-applying resets the
 * password. Most services have one database named after them and their user; Nova has three.
 */
export function openstackDatabaseStep({ controller, facts }: PhaseContext, service: string, secret: ServiceSecret, databases: string[] = [service]): Step {
  const user = shellQuote(service);
  const host = shellQuote(controller.name);
  return {
    key: `${service}.database`,
    title: databases.length === 1 ? `Database ${databases[0]} and its user` : `Databases ${databases.join(", ")} and their user ${service}`,
    roles: ["controller"],
    check: allOf(
      databases.flatMap((database) => [`sp_db_login ${user} ${secret} ${host} ${shellQuote(database)}`, `sp_db_login ${user} ${secret} localhost ${shellQuote(database)}`]),
      [secret],
    ),
    apply: script(
      [
        `sp_need MARIADB_ROOT_PASS ${secret}`,
        `pw=$(printf '%s' "$${secret}" | sp_escape sql)`,
        // SQL goes to mysql on stdin (no here-document: step bodies are indented in exported scripts).
        "{",
        ...databases.flatMap((database) => [
          `  echo "CREATE DATABASE IF NOT EXISTS ${database};"`,
          `  printf "GRANT ALL PRIVILEGES ON ${database}.* TO '${service}'@'localhost' IDENTIFIED BY '%s';\\n" "$pw"`,
          `  printf "GRANT ALL PRIVILEGES ON ${database}.* TO '${service}'@'%%' IDENTIFIED BY '%s';\\n" "$pw"`,
        ]),
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

/** A check: the database has the table (a sync has run). Reads the database as root (MARIADB_ROOT_PASS). */
export function tableExists(database: string, table: string): string {
  return `[ "$(sp_mysql -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${database}' AND table_name = '${table}'")" = 1 ]`;
}
