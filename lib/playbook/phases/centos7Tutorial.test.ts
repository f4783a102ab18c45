import { spawnSync } from "node:child_process";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allSteps, buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import type { PlaybookHost } from "../playbookInput";
import { centos7Train } from "../profiles/centos7Train";
import type { ServiceSecret } from "../serviceSecrets";
import { ADMIN_OPENRC, TOKEN_ISSUE } from "./keystone";
import { again, readIni, SECRET_VALUES, sqlEscaped, stepSandbox, urlEscaped, type Run, type Sandbox } from "./stepSandbox";

/**
 * The centos7-train playbook is the tutorial: built from examples/tutorial.plan.json, every
 * command and configuration value the tutorial uses is in the scripts, with the plan's values.
 * Steps that write files or handle passwords are also run in local bash, with their files moved
 * under a temporary directory and the commands that would change this machine replaced by fakes
 * that log their arguments.
 */

const planPath = fileURLToPath(new URL("../../../examples/tutorial.plan.json", import.meta.url));
const input = playbookInputFromFile(planFileSchema.parse(JSON.parse(readFileSync(planPath, "utf8"))));
const playbook = buildPlaybook(input);
const [ct, c1, c2] = input.hosts;


const { step, scriptOf, body, linesOf, expectCommands, run, applyThenCheck } = stepSandbox(playbook, input, SECRET_VALUES);

// ---------------------------------------------------------------------------------------------

describe("the centos7-train playbook of examples/tutorial.plan.json", () => {
  it("is built from the tutorial's topology: ct, c1 and c2 on 192.168.100.0/24", () => {
    expect(playbook.profile).toBe("centos7-train");
    expect(input.hosts.map((h) => [h.name, h.role, h.managementIp])).toEqual([
      ["ct", "controller", "192.168.100.110"],
      ["c1", "compute", "192.168.100.120"],
      ["c2", "compute", "192.168.100.130"],
    ]);
  });
});

describe("base: names, firewall, SELinux, repositories, tools", () => {
  it("sets each host's own name with hostnamectl", () => {
    expect(step("base.hostname").roles).toEqual(["controller", "compute"]);
    for (const host of [ct, c1, c2]) {
      const applied = run(scriptOf("base.hostname"), { host, paths: ["/etc/hostname"], fakes: ["hostnamectl", "hostname"] });
      expect(applied.status).toBe(0);
      expect(applied.log).toContain(`hostnamectl set-hostname ${host.name}`);
    }
    expect(body("base.hostname", "check")).toContain('[ "$(hostname)" = "$SP_HOST_NAME" ]');
  });

  it("names every host in /etc/hosts on every host, replacing older lines for the same names, and verifies each resolves", () => {
    const packaged = "127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n10.9.9.9 c1 old-c1\n";
    const applied = applyThenCheck("base.hosts-file", { files: { "/etc/hosts": packaged } });
    const lines = readFileSync(applied.at("/etc/hosts"), "utf8").split("\n");
    expect(lines).toEqual(expect.arrayContaining(["127.0.0.1   localhost localhost.localdomain", "192.168.100.110 ct", "192.168.100.120 c1", "192.168.100.130 c2"]));
    expect(lines.filter((l) => /\bc1\b/.test(l))).toEqual(["192.168.100.120 c1"]);
    expect(step("base.hosts-file").roles).toEqual(["controller", "compute"]);
    expectCommands("base.hosts-file", "verify", [
      "getent hosts ct | grep -q '^192\\.168\\.100\\.110\\b'",
      "getent hosts c1 | grep -q '^192\\.168\\.100\\.120\\b'",
      "getent hosts c2 | grep -q '^192\\.168\\.100\\.130\\b'",
    ]);
  });

  it("stops and disables firewalld and puts SELinux out of enforcing, now and after a reboot", () => {
    expectCommands("base.firewall-selinux", "apply", ["systemctl stop firewalld", "systemctl disable firewalld", "setenforce 0"]);
    expect(body("base.firewall-selinux")).toMatch(/sed -i 's\/\^SELINUX=enforcing\/SELINUX=(permissive|disabled)\/' \/etc\/selinux\/config/);
    expectCommands("base.firewall-selinux", "check", ["! systemctl is-active -q firewalld", "getenforce"]);
  });

  it("points yum at the chosen CentOS 7 repository and says so plainly when yum repolist fails", () => {
    expectCommands("base.repositories", "apply", ["base=http://vault.centos.org\n", "yum repolist", "choose the vault, the tutorial's mirror or your own base URL"]);
    const mirror = buildPlaybook({ ...input, options: { ...input.options, centosRepository: "tutorial-mirror" } });
    const mirrorStep = allSteps(mirror).find(({ step: s }) => s.key === "base.repositories")!.step;
    expect(mirrorStep.apply.body).toContain("base=http://mirrors.aliyun.com");
  });

  it("installs the tutorial's base tools with yum", () => {
    const tools = "net-tools bash-completion vim gcc gcc-c++ make pcre pcre-devel expat-devel cmake bzip2 lrzsz";
    // An unfinished transaction or a stale yum lock left by an earlier attempt is repaired first (the library's sp_recover_packages).
    const lines = linesOf("base.packages");
    expect(lines[lines.indexOf(`yum -y install ${tools}`) - 1]).toBe("sp_recover_packages");
    expect(body("base.packages", "check")).toContain(`rpm -q ${tools}`);
  });

  it("installs centos-release-openstack-train, then the client, openstack-selinux and openstack-utils, on every host", () => {
    const s = step("base.openstack-client");
    expect(s.roles).toEqual(["controller", "compute"]);
    const apply = s.apply.body;
    const release = apply.indexOf("yum -y install centos-release-openstack-train");
    const client = apply.indexOf("yum -y install python-openstackclient openstack-selinux openstack-utils");
    expect(release).toBeGreaterThanOrEqual(0);
    expect(client).toBeGreaterThan(release);
    expect(body("base.openstack-client", "verify")).toContain("openstack --version");
  });
});

describe("ssh-trust: passwordless root SSH from ct", () => {
  it("makes a key pair on ct only and hands its public key to the other steps", () => {
    const s = step("ssh-trust.keypair");
    expect(s.roles).toEqual(["controller"]);
    expect(s.apply.body).toMatch(/ssh-keygen .*-N '' -f \/root\/\.ssh\/id_rsa/);
    expect(s.outputs?.names).toEqual(["CONTROLLER_PUBKEY"]);
    expect(s.outputs?.script.body).toContain("/root/.ssh/id_rsa.pub");
  });

  it("authorizes ct's key for root on every host", () => {
    const s = step("ssh-trust.authorize");
    expect(s.roles).toEqual(["controller", "compute"]);
    expect(s.imports).toEqual(["CONTROLLER_PUBKEY"]);
    expect(s.apply.body).toContain('"$CONTROLLER_PUBKEY" >> /root/.ssh/authorized_keys');
    expect(s.check?.body).toContain('grep -qxF "$CONTROLLER_PUBKEY" /root/.ssh/authorized_keys');
  });

  it("checks ssh -o BatchMode=yes from ct to ct, c1 and c2 by name", () => {
    const s = step("ssh-trust.verify");
    expect(s.roles).toEqual(["controller"]);
    for (const script of [s.check!, s.verify!]) {
      expect(script.body).toContain("for h in ct c1 c2; do");
      expect(script.body).toMatch(/ssh -o BatchMode=yes .*"\$h"/);
    }
  });
});

describe("chrony: ct from ntp6.aliyun.com, the computes from ct", () => {
  const conf = "/etc/chrony.conf";
  // A host that may set the clock (CAP_SYS_TIME in the bounding set), like the tutorial's.
  const canSetClock = { "/proc/1/status": "Name:\tsystemd\nCapBnd:\t000001ffffffffff\n" };
  const chronyBox = (host: PlaybookHost): Sandbox => ({ host, files: canSetClock, paths: [conf, "/etc/systemd/system"], fakes: ["yum", "rpm", "systemctl"] });

  it("ct: server ntp6.aliyun.com iburst, allow 192.168.100.0/24, chronyd enabled and started", () => {
    const applied = applyThenCheck("chrony.controller", chronyBox(ct));
    const lines = readFileSync(applied.at(conf), "utf8").split("\n");
    expect(lines).toContain("server ntp6.aliyun.com iburst");
    expect(lines).toContain("allow 192.168.100.0/24");
    expect(lines.filter((l) => /^(server|pool) /.test(l))).toEqual(["server ntp6.aliyun.com iburst"]);
    expect(applied.log).toContain("yum -y install chrony");
    expect(applied.log).toContain("systemctl enable chronyd");
    expect(applied.log).toContain("systemctl restart chronyd");
    expect(step("chrony.controller").roles).toEqual(["controller"]);
  });

  it("computes: server ct iburst, and nothing else to sync from", () => {
    const applied = applyThenCheck("chrony.computes", chronyBox(c1));
    const lines = readFileSync(applied.at(conf), "utf8").split("\n");
    expect(lines.filter((l) => /^(server|pool|allow) /.test(l))).toEqual(["server ct iburst"]);
    expect(step("chrony.computes").roles).toEqual(["compute"]);
  });

  it("verifies with chronyc sources, the computes seeing ct's address as their source", () => {
    expect(linesOf("chrony.controller", "verify")).toContain("chronyc sources");
    expect(linesOf("chrony.computes", "verify")).toContain("chronyc sources");
    expect(body("chrony.computes", "verify")).toContain("grep -q -- ' 192.168.100.110 '");
  });

  it("adds the tutorial's half-hourly crontab line on every host, once", () => {
    const cronLine = "*/30 * * * * /usr/bin/chronyc sources >> /var/log/chronyc.log";
    const setup = 'crontab() { if [ "$1" = -l ]; then cat "$SP_TEST_ROOT/crontab" 2>/dev/null; else cat > "$SP_TEST_ROOT/crontab"; fi; }';
    const applied = applyThenCheck("chrony.cron", { setup, files: {} });
    expect(readFileSync(path.join(applied.root, "crontab"), "utf8")).toBe(`${cronLine}\n`);
    expect(step("chrony.cron").roles).toEqual(["controller", "compute"]);
  });
});

describe("mariadb on ct", () => {
  it("installs mariadb mariadb-server python2-PyMySQL libibverbs", () => {
    expect(linesOf("mariadb.install")).toContain("yum -y install mariadb mariadb-server python2-PyMySQL libibverbs");
  });

  it("writes the tutorial's /etc/my.cnf.d/openstack.cnf bound to 192.168.100.110, enables and starts mariadb", () => {
    const cnf = "/etc/my.cnf.d/openstack.cnf";
    const applied = applyThenCheck("mariadb.configure", { paths: [cnf], fakes: ["systemctl"] });
    expect(readFileSync(applied.at(cnf), "utf8")).toBe(
      [
        "[mysqld]",
        "bind-address = 192.168.100.110",
        "default-storage-engine = innodb",
        "innodb_file_per_table = on",
        "max_connections = 4096",
        "collation-server = utf8_general_ci",
        "character-set-server = utf8",
        "",
      ].join("\n"),
    );
    expect(applied.log).toEqual(["systemctl enable mariadb", "systemctl restart mariadb"]);
  });

  it("gives mysql_secure_installation's answers: root password set, anonymous users and test removed, remote root kept", () => {
    const accounts = ["'root'@'localhost'", "'root'@'ct'", "'root'@'127.0.0.1'", "'root'@'::1'"];
    const anonymous = ["''@'localhost'", "''@'ct'"];
    // The fake database answers the two queries the way MariaDB would, and echoes the rest.
    const setup = `sp_mysql() {
      if [ $# -eq 0 ]; then cat
      elif [[ "$*" == *"User = 'root'"* ]]; then printf '%s\\n' ${accounts.map((a) => `"${a}"`).join(" ")}
      elif [[ "$*" == *"User = ''"* ]]; then printf '%s\\n' ${anonymous.map((a) => `"DROP USER ${a};"`).join(" ")}
      fi
    }`;
    const applied = run(scriptOf("mariadb.secure"), { setup });
    expect(applied.status, applied.stderr).toBe(0);
    const sql = applied.stdout.split("\n");
    for (const account of accounts) expect(sql).toContain(`SET PASSWORD FOR ${account} = PASSWORD('${sqlEscaped(SECRET_VALUES.MARIADB_ROOT_PASS)}');`);
    for (const account of anonymous) expect(sql.some((line) => line === `DROP USER ${account};` || line === "DELETE FROM mysql.user WHERE User='';")).toBe(true);
    expect(sql).toContain("DROP DATABASE IF EXISTS test;");
    expect(sql).toContain("FLUSH PRIVILEGES;");
    // "Disallow root login remotely? n": no root account is removed.
    expect(sql.filter((line) => /DELETE FROM mysql\.user|DROP USER/i.test(line) && /root/i.test(line))).toEqual([]);
    expect(scriptOf("mariadb.secure").secrets).toEqual(["MARIADB_ROOT_PASS"]);
  });
});

describe("rabbitmq on ct", () => {
  const rabbitmqctl = (users: string) => `rabbitmqctl() { sp_fake_in rabbitmqctl "$@"; if [ "$*" = "-q list_users" ]; then printf '%s\\n' ${users}; fi; }`;

  it("installs rabbitmq-server, enabled and started, ports 5672 and 25672", () => {
    expectCommands("rabbitmq.install", "apply", ["yum -y install rabbitmq-server\n", "systemctl enable rabbitmq-server && systemctl restart rabbitmq-server"]);
    expect(step("rabbitmq.install").ports?.map((p) => p.port)).toEqual([5672, 25672]);
  });

  it("adds the user openstack with RABBIT_PASS on stdin and sets its permissions \".*\" \".*\" \".*\"", () => {
    const applied = run(scriptOf("rabbitmq.user"), { setup: rabbitmqctl("guest") });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log).toContain(`rabbitmqctl add_user openstack <${SECRET_VALUES.RABBIT_PASS}>`);
    expect(applied.log).toContain("rabbitmqctl set_permissions openstack .* .* .* <>");
    expect(applied.log.join("\n")).not.toContain(`openstack "${SECRET_VALUES.RABBIT_PASS}"`);
  });

  it("resets the password of an existing openstack user instead of failing", () => {
    const applied = run(scriptOf("rabbitmq.user"), { setup: rabbitmqctl("guest openstack") });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log).toContain(`rabbitmqctl change_password openstack <${SECRET_VALUES.RABBIT_PASS}>`);
    expect(applied.log.some((l) => l.startsWith("rabbitmqctl add_user"))).toBe(false);
  });

  it("enables rabbitmq_management, port 15672", () => {
    expect(linesOf("rabbitmq.management")).toContain("rabbitmq-plugins enable rabbitmq_management");
    expect(step("rabbitmq.management").ports?.map((p) => p.port)).toEqual([15672]);
  });
});

describe("memcached on ct", () => {
  it("listens on 127.0.0.1, ::1 and ct in /etc/sysconfig/memcached, enabled and started, port 11211", () => {
    const file = "/etc/sysconfig/memcached";
    const packaged = 'PORT="11211"\nUSER="memcached"\nMAXCONN="1024"\nCACHESIZE="64"\nOPTIONS="-l 127.0.0.1,::1"\n';
    const applied = applyThenCheck("memcached.configure", { files: { [file]: packaged }, fakes: ["yum", "rpm", "systemctl"] });
    expect(readFileSync(applied.at(file), "utf8")).toBe(packaged.replace('OPTIONS="-l 127.0.0.1,::1"', 'OPTIONS="-l 127.0.0.1,::1,ct"'));
    expect(applied.log).toEqual(["yum -y install memcached python-memcached", "systemctl enable memcached", "systemctl restart memcached"]);
    expect(step("memcached.configure").ports?.map((p) => p.port)).toEqual([11211]);
  });
});

describe("etcd on ct", () => {
  it("writes the tutorial's /etc/etcd/etcd.conf with ct's real IP (the tutorial's typo fixed), enabled and started", () => {
    const file = "/etc/etcd/etcd.conf";
    const applied = applyThenCheck("etcd.configure", { paths: [file], fakes: ["yum", "rpm", "systemctl", "rm"] });
    expect(readFileSync(applied.at(file), "utf8")).toBe(
      [
        "#[Member]",
        'ETCD_DATA_DIR="/var/lib/etcd/default.etcd"',
        'ETCD_LISTEN_PEER_URLS="http://192.168.100.110:2380"',
        'ETCD_LISTEN_CLIENT_URLS="http://192.168.100.110:2379"',
        'ETCD_NAME="ct"',
        "#[Clustering]",
        'ETCD_INITIAL_ADVERTISE_PEER_URLS="http://192.168.100.110:2380"',
        'ETCD_ADVERTISE_CLIENT_URLS="http://192.168.100.110:2379"',
        'ETCD_INITIAL_CLUSTER="ct=http://192.168.100.110:2380"',
        'ETCD_INITIAL_CLUSTER_TOKEN="etcd-cluster-01"',
        'ETCD_INITIAL_CLUSTER_STATE="new"',
        "",
      ].join("\n"),
    );
    expect(applied.log).toContain("yum -y install etcd");
    expect(applied.log.slice(-2)).toEqual(["systemctl enable etcd", "systemctl restart etcd"]);
    expect(step("etcd.configure").ports?.map((p) => p.port)).toEqual([2379, 2380]);
  });
});

describe.each([
  ["keystone", "KEYSTONE_DBPASS"],
  ["glance", "GLANCE_DBPASS"],
] as const)("the %s database", (service, secret) => {
  it(`creates it and grants ${service}@localhost and ${service}@'%' with ${secret}, SQL-escaped`, () => {
    const applied = run(scriptOf(`${service}.database`), { setup: "sp_mysql() { cat; }" });
    expect(applied.status, applied.stderr).toBe(0);
    const pw = sqlEscaped(SECRET_VALUES[secret]);
    expect(applied.stdout.split("\n")).toEqual([
      `CREATE DATABASE IF NOT EXISTS ${service};`,
      `GRANT ALL PRIVILEGES ON ${service}.* TO '${service}'@'localhost' IDENTIFIED BY '${pw}';`,
      `GRANT ALL PRIVILEGES ON ${service}.* TO '${service}'@'%' IDENTIFIED BY '${pw}';`,
      "FLUSH PRIVILEGES;",
      "",
    ]);
    expect(scriptOf(`${service}.database`).secrets).toEqual(["MARIADB_ROOT_PASS", secret]);
  });

  it(`is done when ${service} logs in with ${secret} from localhost and through ct`, () => {
    const setup = 'sp_db_login() { sp_fake sp_db_login "$@" "${!2}"; }';
    const checked = run(scriptOf(`${service}.database`, "check"), { setup });
    expect(checked.status, checked.stderr).toBe(0);
    const pw = SECRET_VALUES[secret].includes(" ") ? `"${SECRET_VALUES[secret]}"` : SECRET_VALUES[secret];
    expect(checked.log).toEqual([`sp_db_login ${service} ${secret} ct ${service} ${pw}`, `sp_db_login ${service} ${secret} localhost ${service} ${pw}`]);
  });
});

describe("keystone on ct", () => {
  it("installs openstack-keystone httpd mod_wsgi", () => {
    expect(linesOf("keystone.install")).toContain("yum -y install openstack-keystone httpd mod_wsgi");
  });

  it("sets [database] connection from KEYSTONE_DBPASS url-escaped, and [token] provider = fernet", () => {
    const conf = "/etc/keystone/keystone.conf";
    expect(body("keystone.configure")).toMatch(/"mysql\+pymysql:\/\/keystone:\$\(printf '%s' "\$KEYSTONE_DBPASS" \| sp_escape (db)?url\)@/);
    const applied = applyThenCheck("keystone.configure", { paths: [conf] });
    expect(readIni(applied.at(conf))).toMatchObject({
      database: { connection: `mysql+pymysql://keystone:${urlEscaped(SECRET_VALUES.KEYSTONE_DBPASS)}@ct/keystone` },
      token: { provider: "fernet" },
    });
    const otherPassword = run(scriptOf("keystone.configure", "check"), { paths: [conf], env: { KEYSTONE_DBPASS: "another" } }, applied.root);
    expect(otherPassword.status).not.toBe(0);
  });

  it("runs keystone-manage db_sync as keystone, then fernet_setup and credential_setup", () => {
    expect(linesOf("keystone.db-sync")).toContainEqual(expect.stringMatching(/^su -s \/bin\/sh -c (["'])keystone-manage db_sync\1 keystone$/));
    const fernet = linesOf("keystone.fernet");
    const setup = fernet.indexOf("keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone");
    expect(setup).toBeGreaterThanOrEqual(0);
    expect(fernet.indexOf("keystone-manage credential_setup --keystone-user keystone --keystone-group keystone")).toBeGreaterThan(setup);
  });

  it("bootstraps admin with ADMIN_PASS from the environment and endpoints http://ct:5000/v3/ in RegionOne", () => {
    const setup = [
      'keystone-manage() { sp_fake keystone-manage "$@"; sp_fake OS_BOOTSTRAP_PASSWORD "$OS_BOOTSTRAP_PASSWORD"; }',
      'openstack() { sp_fake openstack "$@"; }',
      'sp_wait_port() { sp_fake sp_wait_port "$@"; }',
    ].join("\n");
    const applied = run(scriptOf("keystone.bootstrap"), { setup, files: { [ADMIN_OPENRC]: "" } });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log[0]).toBe(
      "keystone-manage bootstrap --bootstrap-admin-url http://ct:5000/v3/ --bootstrap-internal-url http://ct:5000/v3/ --bootstrap-public-url http://ct:5000/v3/ --bootstrap-region-id RegionOne",
    );
    expect(applied.log[1]).toBe(`OS_BOOTSTRAP_PASSWORD "${SECRET_VALUES.ADMIN_PASS}"`);
    expect(linesOf("keystone.bootstrap", "verify")).toContain(TOKEN_ISSUE);
  });

  it("serves Keystone from httpd: ServerName ct, wsgi-keystone.conf linked, httpd enabled and started, port 5000", () => {
    const { httpdConfig, wsgiConfigSource, wsgiConfigTarget } = centos7Train.keystone as Extract<typeof centos7Train.keystone, { web: "httpd-mod-wsgi" }>;
    const packaged = 'ServerRoot "/etc/httpd"\nListen 80\n#ServerName www.example.com:80\nDocumentRoot "/var/www/html"\n';
    // What httpd serves (keystone.conf and the keys) exists from the steps before.
    const keystoneFiles = { "/etc/keystone/keystone.conf": "", "/etc/keystone/fernet-keys": "", "/etc/keystone/credential-keys": "" };
    const box: Sandbox = { files: { [httpdConfig]: packaged, [wsgiConfigSource]: "", ...keystoneFiles }, paths: [wsgiConfigTarget], fakes: ["systemctl", "sp_wait_port"] };
    const applied = applyThenCheck("keystone.web", box);
    expect(readFileSync(applied.at(httpdConfig), "utf8").split("\n").filter((l) => l.startsWith("ServerName"))).toEqual(["ServerName ct"]);
    expect(lstatSync(applied.at(wsgiConfigTarget)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(applied.at(wsgiConfigTarget))).toBe(applied.at(wsgiConfigSource));
    expect(applied.log.slice(0, 2)).toEqual(["systemctl enable httpd", "systemctl restart httpd"]);
    // Applied again (a half-done step), there is still one ServerName line.
    run(scriptOf("keystone.web"), again(box), applied.root);
    expect(readFileSync(applied.at(httpdConfig), "utf8").match(/^ServerName /gm)).toHaveLength(1);
    expect(body("keystone.web")).toContain(`ln -sf ${wsgiConfigSource} ${wsgiConfigTarget}`);
    expect(wsgiConfigTarget).toBe("/etc/httpd/conf.d/wsgi-keystone.conf");
    expect(step("keystone.web").ports?.map((p) => p.port)).toEqual([5000]);
  });

  it("writes the tutorial's admin-openrc with ADMIN_PASS, mode 600", () => {
    const applied = applyThenCheck("keystone.openrc", { paths: [ADMIN_OPENRC] });
    expect(lstatSync(applied.at(ADMIN_OPENRC)).mode & 0o777).toBe(0o600);
    const names = ["OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME", "OS_USER_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME", "OS_AUTH_URL", "OS_IDENTITY_API_VERSION", "OS_IMAGE_API_VERSION"];
    const sourced = spawnSync("bash", ["-c", `. "$1"; printf '%s\\0' ${names.map((n) => `"$${n}"`).join(" ")}`, "-", applied.at(ADMIN_OPENRC)], { encoding: "utf8", env: { ...process.env, ...Object.fromEntries(names.map((n) => [n, undefined])) } });
    expect(Object.fromEntries(names.map((n, i) => [n, sourced.stdout.split("\0")[i]]))).toEqual({
      OS_USERNAME: "admin",
      OS_PASSWORD: SECRET_VALUES.ADMIN_PASS,
      OS_PROJECT_NAME: "admin",
      OS_USER_DOMAIN_NAME: "Default",
      OS_PROJECT_DOMAIN_NAME: "Default",
      OS_AUTH_URL: "http://ct:5000/v3",
      OS_IDENTITY_API_VERSION: "3",
      OS_IMAGE_API_VERSION: "2",
    });
    const otherPassword = run(scriptOf("keystone.openrc", "check"), { paths: [ADMIN_OPENRC], env: { ADMIN_PASS: "another" } }, applied.root);
    expect(otherPassword.status).not.toBe(0);
  });

  it("creates the service project \"Service Project\" and the user role, and verifies token issue and role list", () => {
    expectCommands("keystone.service-project", "apply", ['openstack project create --domain default --description "Service Project" service', "openstack role create user"]);
    expectCommands("keystone.service-project", "verify", [`${TOKEN_ISSUE}\n`, "openstack role list"]);
  });
});

describe("glance on ct", () => {
  it("creates the glance user with GLANCE_PASS from the environment, admin in service, the image service and its three endpoints", () => {
    const setup = [
      'openstack() { sp_fake openstack "$@"; case "$1 $2" in "user show"|"service show") return 1 ;; esac; }',
      // Whatever sets the password gets the variable's name, and finds the value in the environment.
      'sp_os_user() { sp_fake sp_os_user "$@" "${!2}"; }',
    ].join("\n");
    const applied = run(scriptOf("glance.identity"), { setup, files: { [ADMIN_OPENRC]: "" } });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log).toContain(`sp_os_user glance GLANCE_PASS "${SECRET_VALUES.GLANCE_PASS}"`);
    for (const command of [
      "openstack role add --project service --user glance admin",
      'openstack service create --name glance --description "OpenStack Image" image',
      "openstack endpoint create --region RegionOne image public http://ct:9292",
      "openstack endpoint create --region RegionOne image internal http://ct:9292",
      "openstack endpoint create --region RegionOne image admin http://ct:9292",
    ]) {
      expect(applied.log).toContain(command);
    }
    expect(applied.log.filter((l) => l.startsWith("openstack ")).join("\n")).not.toContain(SECRET_VALUES.GLANCE_PASS);
    expect(body("glance.identity", "verify")).toContain("openstack endpoint list --service image");
  });

  it("installs openstack-glance", () => {
    expect(linesOf("glance.install")).toContain("yum -y install openstack-glance");
  });

  describe("glance-api.conf and glance-registry.conf", () => {
    const { apiConfig } = centos7Train.glance;
    const registryConfig = centos7Train.glance.registryConfig!;
    const box: Sandbox = { paths: [apiConfig, registryConfig] };
    const authtoken = {
      www_authenticate_uri: "http://ct:5000",
      auth_url: "http://ct:5000",
      memcached_servers: "ct:11211",
      auth_type: "password",
      project_domain_name: "Default",
      user_domain_name: "Default",
      project_name: "service",
      username: "glance",
      password: SECRET_VALUES.GLANCE_PASS.replace(/\$/g, "$$$$"),
    };
    const database = { connection: `mysql+pymysql://glance:${urlEscaped(SECRET_VALUES.GLANCE_DBPASS)}@ct/glance` };
    let done: Run | undefined;
    const applied = () => (done ??= applyThenCheck("glance.configure", box));

    it("glance-api.conf: database, keystone_authtoken (GLANCE_PASS oslo-escaped), paste_deploy and the file store", { timeout: 60_000 }, () => {
      expect(readIni(applied().at(apiConfig))).toMatchObject({
        database,
        keystone_authtoken: authtoken,
        paste_deploy: { flavor: "keystone" },
        glance_store: { stores: "file,http", default_store: "file", filesystem_store_datadir: "/var/lib/glance/images/" },
      });
    });

    it("glance-registry.conf: the same database, keystone_authtoken and paste_deploy, no store", { timeout: 60_000 }, () => {
      const registry = readIni(applied().at(registryConfig));
      expect(registry).toMatchObject({ database, keystone_authtoken: authtoken, paste_deploy: { flavor: "keystone" } });
      expect(registry.glance_store).toBeUndefined();
    });

    it("is not done for other passwords", { timeout: 60_000 }, () => {
      const root = applied().root;
      for (const env of [{ GLANCE_PASS: "another" }, { GLANCE_DBPASS: "another" }] as Record<string, string>[]) {
        expect(run(scriptOf("glance.configure", "check"), { ...box, env }, root).status).not.toBe(0);
      }
    });

    it("builds the secrets into the files on the host: the connection url-escaped, the password oslo-escaped", () => {
      const apply = body("glance.configure");
      expect(apply).toMatch(/"mysql\+pymysql:\/\/glance:\$\(printf '%s' "\$GLANCE_DBPASS" \| sp_escape (db)?url\)@/);
      expect(apply).toContain(`"$(printf '%s' "$GLANCE_PASS" | sp_escape oslo)" | sp_ini_set ${apiConfig} keystone_authtoken password`);
      expect(scriptOf("glance.configure").secrets).toEqual(["GLANCE_DBPASS", "GLANCE_PASS"]);
    });
  });

  it("syncs the database as glance, owns /var/lib/glance/ as the tutorial does (chown -hR), enables and starts glance-api and glance-registry, port 9292", () => {
    expectCommands("glance.db-sync", "apply", [
      'su -s /bin/sh -c "glance-manage db_sync" glance',
      "chown -hR glance:glance /var/lib/glance/",
      "systemctl enable openstack-glance-api openstack-glance-registry && systemctl restart openstack-glance-api openstack-glance-registry",
    ]);
    expect(step("glance.db-sync").ports?.map((p) => p.port)).toEqual([9292]);
  });

  it("uploads cirros as a public qcow2 bare image and verifies it in openstack image list, active", () => {
    expectCommands("glance.image", "apply", ["format=qcow2\n", 'openstack image create --file "$file" --disk-format "$format" --container-format bare --public cirros']);
    expectCommands("glance.image", "verify", ["openstack image list\n", '[ "$(openstack image show -f value -c status cirros)" = active ]']);
  });
});

describe("the tutorial's ports and passwords", () => {
  it("expects 3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000 and 9292 open on ct, checked from the computes too", () => {
    const ports = allSteps(playbook).flatMap(({ step: s }) => s.ports ?? []);
    expect(ports.map((p) => p.port).sort((a, b) => a - b)).toEqual([2379, 2380, 3306, 5000, 5672, 9292, 11211, 15672, 25672]);
    for (const p of ports) {
      expect(p.on).toBe("controller");
      expect(p.fromRoles).toContain("compute");
    }
  });

  it("has each password-handling step declare the tutorial's secrets it reads", () => {
    const needs: Record<string, ServiceSecret[]> = {
      "mariadb.secure": ["MARIADB_ROOT_PASS"],
      "rabbitmq.user": ["RABBIT_PASS"],
      "keystone.database": ["MARIADB_ROOT_PASS", "KEYSTONE_DBPASS"],
      "keystone.configure": ["KEYSTONE_DBPASS"],
      "keystone.openrc": ["ADMIN_PASS"],
      "keystone.bootstrap": ["ADMIN_PASS"],
      "glance.database": ["MARIADB_ROOT_PASS", "GLANCE_DBPASS"],
      "glance.identity": ["GLANCE_PASS"],
      "glance.configure": ["GLANCE_DBPASS", "GLANCE_PASS"],
    };
    for (const [key, secrets] of Object.entries(needs)) expect(scriptOf(key).secrets, key).toEqual(expect.arrayContaining(secrets));
    // The steps on the computes need no password at all.
    const onComputes = allSteps(playbook).filter(({ step: s }) => s.roles.includes("compute"));
    expect(onComputes.flatMap(({ step: s }) => [s.check, s.apply, s.verify].flatMap((x) => x?.secrets ?? []))).toEqual([]);
  });
});

describe("the scripts run on CentOS 7's own tools", () => {
  const everyBody = allSteps(playbook).flatMap(({ step: s }) => [s.check, s.apply, s.verify, s.outputs?.script].filter((x) => x !== undefined).map((x) => ({ key: s.key, body: x.body })));

  it("uses only ssh options of OpenSSH 7.4 (StrictHostKeyChecking=accept-new came in 7.6)", () => {
    expect(everyBody.filter(({ body: b }) => b.includes("accept-new")).map(({ key }) => key)).toEqual([]);
  });

  it("uses only systemctl options of systemd 219 (systemctl show --value came in 230)", () => {
    expect(everyBody.filter(({ body: b }) => /systemctl show [^\n]*--value/.test(b)).map(({ key }) => key)).toEqual([]);
  });
});
