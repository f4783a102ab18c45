import { installStep } from "../packages";
import { allOf, enableAndStart, isActive, printLines, script, textWord, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

export function openstackCnf(bindAddress: string): string {
  return [
    "[mysqld]",
    `bind-address = ${bindAddress}`,
    "default-storage-engine = innodb",
    "innodb_file_per_table = on",
    "max_connections = 4096",
    "collation-server = utf8_general_ci",
    "character-set-server = utf8",
  ].join("\n");
}

/** The answers the tutorial gives mysql_secure_installation, as SQL: no prompt to stall on. */
const SECURE_SQL = [
  "DROP DATABASE IF EXISTS test;",
  "DELETE FROM mysql.db WHERE Db='test' OR Db='test\\\\_%';",
  "FLUSH PRIVILEGES;",
].join("\n");

/** MariaDB on the controller: packages, openstack.cnf, the service, the secured root account. */
export function mariadbPhase({ facts, controller }: PhaseContext): Phase {
  const { mariadb } = facts;
  const cnf = openstackCnf(controller.managementIp);
  return {
    key: "mariadb",
    title: "Database (MariaDB)",
    steps: [
      { ...installStep(facts, "mariadb.install", "Install MariaDB", mariadb.packages, 900), services: [mariadb.service] },
      {
        key: "mariadb.configure",
        title: "openstack.cnf, enabled and started",
        roles: ["controller"],
        check: allOf([`[ "$(cat ${mariadb.config} 2>/dev/null)" = ${textWord(cnf)} ]`, isActive([mariadb.service])]),
        apply: script([`${printLines(cnf)} > ${mariadb.config}`, enableAndStart([mariadb.service])]),
        ports: [{ port: 3306, on: "controller", fromRoles: ["compute"], label: "MariaDB" }],
        services: [mariadb.service],
        timeoutSeconds: 300,
      },
      {
        key: "mariadb.secure",
        title: "Root password set, anonymous users and test database removed",
        roles: ["controller"],
        // Done when the password works and nothing the secure installation removes is left.
        check: script(
          [
            "sp_need MARIADB_ROOT_PASS",
            'pw=$(printf "%s" "$MARIADB_ROOT_PASS" | sp_escape sql)',
            // Logging in proves nothing where root may use unix_socket (MariaDB 10.4+): compare the
            // stored hashes instead. The SQL, password included, goes to mysql on stdin.
            "left=$(printf \"SELECT (SELECT COUNT(*) FROM mysql.user WHERE User='' OR (User='root' AND Password <> PASSWORD('%s'))) + (SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='test');\\n\" \"$pw\" | sp_mysql -N 2>/dev/null) || left=fail",
            '[ "$left" = 0 ]',
          ],
          ["MARIADB_ROOT_PASS"],
        ),
        apply: script(
          [
            "sp_need MARIADB_ROOT_PASS",
            'pw=$(printf "%s" "$MARIADB_ROOT_PASS" | sp_escape sql)',
            // Every root account gets the password; remote root stays, as the tutorial answers.
            "{",
            "  sp_mysql -N -e \"SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user WHERE User = 'root'\" |",
            "    while read -r account; do printf \"SET PASSWORD FOR %s = PASSWORD('%s');\\n\" \"$account\" \"$pw\"; done",
            // DROP USER, not DELETE: mysql.user is a view since MariaDB 10.4.
            "  sp_mysql -N -e \"SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.user WHERE User = ''\"",
            `  ${printLines(SECURE_SQL)}`,
            "} | sp_mysql",
            "echo 'MariaDB secured.'",
          ],
          ["MARIADB_ROOT_PASS"],
        ),
        services: [mariadb.service],
        timeoutSeconds: 120,
      },
    ],
  };
}
