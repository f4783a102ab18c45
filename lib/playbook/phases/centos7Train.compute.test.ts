import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allSteps, buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import { centos7Train } from "../profiles/centos7Train";
import { renderHostScript } from "../renderScript";
import type { ServiceSecret } from "../serviceSecrets";
import { ADMIN_OPENRC } from "./keystone";
import { PLACEMENT_USR_BIN_GRANT } from "./placement";
import { again, readIni, SECRET_VALUES as TEST_SECRET_VALUES, sqlEscaped, stepSandbox, urlEscaped, type Sandbox } from "./stepSandbox";

/**
 * The centos7-train playbook of examples/cloud.plan.json follows the Train install guide for
 * Placement and Nova (openstack/placement and openstack/nova, doc/source/install/*-rdo.rst):
 * every command and configuration value the guide uses is in the scripts, with the plan's values.
 * Steps that write files or handle passwords also run in local bash, in a sandbox.
 */

const read = (name: string) => planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url)), "utf8")));
const cloudFile = read("cloud.plan.json");
const input = playbookInputFromFile(cloudFile);
const playbook = buildPlaybook(input);
const [ct, c1, c2] = input.hosts;

/** The shared test passwords; RABBIT_PASS also with the characters a transport_url must escape. */
const SECRET_VALUES: Record<ServiceSecret, string> = { ...TEST_SECRET_VALUES, RABBIT_PASS: `rabbit $pw@/:'x'%` };

const { step, scriptOf, body, linesOf, expectCommands, run, applyThenCheck } = stepSandbox(playbook, input, SECRET_VALUES);
const oslo = (value: string) => value.replace(/\$/g, "$$$$");

/** What every service user's [keystone_authtoken] says, as the guide writes it (and the plan's region). */
const authtoken = (username: string, password: string, authUrl: string) => ({
  www_authenticate_uri: "http://ct:5000",
  auth_url: authUrl,
  memcached_servers: "ct:11211",
  auth_type: "password",
  project_domain_name: "Default",
  user_domain_name: "Default",
  project_name: "service",
  username,
  region_name: "RegionOne",
  password: oslo(password),
});

const placementSection = {
  region_name: "RegionOne",
  project_domain_name: "Default",
  project_name: "service",
  auth_type: "password",
  user_domain_name: "Default",
  auth_url: "http://ct:5000/v3",
  username: "placement",
  password: oslo(SECRET_VALUES.PLACEMENT_PASS),
};

// ---------------------------------------------------------------------------------------------

describe("examples/cloud.plan.json", () => {
  it("is the tutorial's plan (hosts and options) with the compute scope", () => {
    const tutorial = read("tutorial.plan.json");
    expect(cloudFile.scope).toBe("compute");
    expect(tutorial.scope).toBe("tutorial");
    expect({ ...cloudFile, name: "", scope: "tutorial" }).toEqual({ ...tutorial, name: "" });
  });

  it("adds Placement, Nova, the computes' Nova and Neutron after Glance, before the verification, and leaves the tutorial's steps as they were", () => {
    const tutorial = buildPlaybook({ ...input, scope: "tutorial" });
    expect(playbook.phases.map((p) => p.key)).toEqual([...tutorial.phases.map((p) => p.key).slice(0, -1), "placement", "nova", "nova-compute", "neutron", "neutron-agents", "verify"]);
    for (const phase of tutorial.phases) {
      const same = playbook.phases.find((p) => p.key === phase.key)!;
      // Preflight also checks the new ports; the verification grows a step.
      if (phase.key === "preflight") expect(same.steps.find((s) => s.key === "preflight.system")).toEqual(phase.steps[0]);
      else if (phase.key === "verify") expect(same.steps.slice(0, 1)).toEqual(phase.steps);
      else expect(same, phase.key).toEqual(phase);
    }
  });
});

describe("placement on ct", () => {
  it("creates the placement database and grants placement@localhost and placement@'%' with PLACEMENT_DBPASS", () => {
    const applied = run(scriptOf("placement.database"), { setup: "sp_mysql() { cat; }" });
    expect(applied.status, applied.stderr).toBe(0);
    const pw = sqlEscaped(SECRET_VALUES.PLACEMENT_DBPASS);
    expect(applied.stdout.split("\n")).toEqual([
      "CREATE DATABASE IF NOT EXISTS placement;",
      `GRANT ALL PRIVILEGES ON placement.* TO 'placement'@'localhost' IDENTIFIED BY '${pw}';`,
      `GRANT ALL PRIVILEGES ON placement.* TO 'placement'@'%' IDENTIFIED BY '${pw}';`,
      "FLUSH PRIVILEGES;",
      "",
    ]);
  });

  it("creates the placement user with PLACEMENT_PASS from the environment, admin in service, the placement service and its endpoints on 8778", () => {
    const setup = ['openstack() { sp_fake openstack "$@"; }', 'sp_os_has() { return 1; }', 'sp_os_user() { sp_fake sp_os_user "$@" "${!2}"; }'].join("\n");
    const applied = run(scriptOf("placement.identity"), { setup, files: { [ADMIN_OPENRC]: "" } });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log).toContain(`sp_os_user placement PLACEMENT_PASS "${SECRET_VALUES.PLACEMENT_PASS}"`);
    for (const command of [
      "openstack role add --project service --user placement admin",
      'openstack service create --name placement --description "Placement API" placement',
      ...["public", "internal", "admin"].map((iface) => `openstack endpoint create --region RegionOne placement ${iface} http://ct:8778`),
    ]) {
      expect(applied.log).toContain(command);
    }
    expect(applied.log.filter((l) => l.startsWith("openstack ")).join("\n")).not.toContain(SECRET_VALUES.PLACEMENT_PASS);
  });

  it("installs openstack-placement-api, and python2-osc-placement for `openstack resource provider list`", () => {
    expect(linesOf("placement.install")).toContain("yum -y install openstack-placement-api python2-osc-placement");
  });

  it("writes placement.conf: [placement_database] connection, [api] auth_strategy, [keystone_authtoken] for the placement user", () => {
    const conf = centos7Train.placement.config;
    expect(conf).toBe("/etc/placement/placement.conf");
    const applied = applyThenCheck("placement.configure", { paths: [conf] });
    expect(readIni(applied.at(conf))).toMatchObject({
      placement_database: { connection: `mysql+pymysql://placement:${urlEscaped(SECRET_VALUES.PLACEMENT_DBPASS)}@ct/placement` },
      api: { auth_strategy: "keystone" },
      keystone_authtoken: authtoken("placement", SECRET_VALUES.PLACEMENT_PASS, "http://ct:5000/v3"),
    });
    for (const env of [{ PLACEMENT_PASS: "another" }, { PLACEMENT_DBPASS: "another" }] as Record<string, string>[]) {
      expect(run(scriptOf("placement.configure", "check"), { paths: [conf], env }, applied.root).status).not.toBe(0);
    }
  });

  it("syncs the database as placement", () => {
    expect(linesOf("placement.db-sync")).toContain('su -s /bin/sh -c "placement-manage db sync" placement');
  });

  it("grants /usr/bin in 00-placement-api.conf once (Train's fix), restarts httpd, port 8778, and verifies with placement-status upgrade check", () => {
    const site = "/etc/httpd/conf.d/00-placement-api.conf";
    const packaged = "Listen 8778\n\n<VirtualHost *:8778>\n  WSGIScriptAlias / /usr/bin/placement-api\n</VirtualHost>\n";
    const box: Sandbox = { files: { [site]: packaged, [centos7Train.placement.config]: "" }, fakes: ["systemctl", "sp_wait_port"] };
    // The port check is the only one that would need a real server.
    const applied = run(scriptOf("placement.web"), box);
    expect(applied.status, applied.stderr).toBe(0);
    run(scriptOf("placement.web"), again(box), applied.root);
    const text = readFileSync(applied.at(site), "utf8");
    expect(text.startsWith(packaged)).toBe(true);
    expect(text.split(PLACEMENT_USR_BIN_GRANT)).toHaveLength(2);
    expect(applied.log.slice(0, 2)).toEqual(["systemctl enable httpd", "systemctl restart httpd"]);
    expect(body("placement.web", "check")).toContain("grep -qxF '<Directory /usr/bin>' /etc/httpd/conf.d/00-placement-api.conf");
    expect(body("placement.web", "verify")).toContain("placement-status upgrade check");
    expect(step("placement.web").ports?.map((p) => p.port)).toEqual([8778]);
  });
});

describe("nova on ct", () => {
  it("creates nova_api, nova and nova_cell0 and grants nova@localhost and nova@'%' on each with NOVA_DBPASS", () => {
    const applied = run(scriptOf("nova.database"), { setup: "sp_mysql() { cat; }" });
    expect(applied.status, applied.stderr).toBe(0);
    const pw = sqlEscaped(SECRET_VALUES.NOVA_DBPASS);
    expect(applied.stdout.split("\n")).toEqual([
      ...["nova_api", "nova", "nova_cell0"].flatMap((db) => [
        `CREATE DATABASE IF NOT EXISTS ${db};`,
        `GRANT ALL PRIVILEGES ON ${db}.* TO 'nova'@'localhost' IDENTIFIED BY '${pw}';`,
        `GRANT ALL PRIVILEGES ON ${db}.* TO 'nova'@'%' IDENTIFIED BY '${pw}';`,
      ]),
      "FLUSH PRIVILEGES;",
      "",
    ]);
    expect(scriptOf("nova.database").secrets).toEqual(["MARIADB_ROOT_PASS", "NOVA_DBPASS"]);
    expect(body("nova.database", "check").match(/sp_db_login nova NOVA_DBPASS/g)).toHaveLength(6);
  });

  it("creates the nova user, the compute service and its endpoints on http://ct:8774/v2.1", () => {
    const setup = ['openstack() { sp_fake openstack "$@"; }', 'sp_os_has() { return 1; }', 'sp_os_user() { sp_fake sp_os_user "$@"; }'].join("\n");
    const applied = run(scriptOf("nova.identity"), { setup, files: { [ADMIN_OPENRC]: "" } });
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.log).toContain("sp_os_user nova NOVA_PASS");
    for (const command of [
      "openstack role add --project service --user nova admin",
      'openstack service create --name nova --description "OpenStack Compute" compute',
      ...["public", "internal", "admin"].map((iface) => `openstack endpoint create --region RegionOne compute ${iface} http://ct:8774/v2.1`),
    ]) {
      expect(applied.log).toContain(command);
    }
  });

  it("installs openstack-nova-api, -conductor, -novncproxy and -scheduler", () => {
    expect(linesOf("nova.install")).toContain("yum -y install openstack-nova-api openstack-nova-conductor openstack-nova-novncproxy openstack-nova-scheduler");
  });

  it("writes nova.conf as the Train guide does, with ct's management IP and the secrets escaped for where they go", () => {
    const conf = centos7Train.nova.config;
    const applied = applyThenCheck("nova.configure", { paths: [conf] });
    const ini = readIni(applied.at(conf));
    expect(ini).toMatchObject({
      DEFAULT: {
        enabled_apis: "osapi_compute,metadata",
        transport_url: `rabbit://openstack:${urlEscaped(SECRET_VALUES.RABBIT_PASS)}@ct:5672/`,
        my_ip: "192.168.100.110",
        use_neutron: "true",
        firewall_driver: "nova.virt.firewall.NoopFirewallDriver",
      },
      api_database: { connection: `mysql+pymysql://nova:${urlEscaped(SECRET_VALUES.NOVA_DBPASS)}@ct/nova_api` },
      database: { connection: `mysql+pymysql://nova:${urlEscaped(SECRET_VALUES.NOVA_DBPASS)}@ct/nova` },
      api: { auth_strategy: "keystone" },
      keystone_authtoken: authtoken("nova", SECRET_VALUES.NOVA_PASS, "http://ct:5000/"),
      vnc: { enabled: "true", server_listen: "$my_ip", server_proxyclient_address: "$my_ip" },
      glance: { api_servers: "http://ct:9292" },
      oslo_concurrency: { lock_path: "/var/lib/nova/tmp" },
      placement: placementSection,
    });
    // Train predates the service user token.
    expect(ini.service_user).toBeUndefined();
    expect(ini.DEFAULT.transport_url).not.toContain("$");
    for (const env of [{ NOVA_PASS: "another" }, { NOVA_DBPASS: "another" }, { RABBIT_PASS: "another" }, { PLACEMENT_PASS: "another" }] as Record<string, string>[]) {
      expect(run(scriptOf("nova.configure", "check"), { paths: [conf], env }, applied.root).status).not.toBe(0);
    }
  });

  it("runs api_db sync, map_cell0, create_cell --name=cell1, db sync and list_cells as nova, each skipped once done", () => {
    const asNova = (command: string) => `su -s /bin/sh -c "nova-manage ${command}" nova`;
    expect(linesOf("nova.api-db-sync")).toContain(asNova("api_db sync"));
    expect(linesOf("nova.cell0")).toContain(asNova("cell_v2 map_cell0"));
    expect(linesOf("nova.cell1")).toContain(asNova("cell_v2 create_cell --name=cell1 --verbose"));
    expect(linesOf("nova.db-sync")).toContain(asNova("db sync"));
    expect(body("nova.db-sync", "verify")).toContain(asNova("cell_v2 list_cells"));
    expect(body("nova.cell0", "check")).toContain("uuid = '00000000-0000-0000-0000-000000000000'");
    expect(body("nova.cell1", "check")).toContain("name = 'cell1'");
    const keys = allSteps(playbook).map(({ step: s }) => s.key);
    expect(["nova.configure", "nova.api-db-sync", "nova.cell0", "nova.cell1", "nova.db-sync", "nova.services"].map((k) => keys.indexOf(k))).toEqual(
      [...Array(6).keys()].map((i) => keys.indexOf("nova.configure") + i),
    );
  });

  it("enables and starts openstack-nova-api, -scheduler, -conductor and -novncproxy, ports 8774, 8775 and 6080", () => {
    const services = "openstack-nova-api openstack-nova-scheduler openstack-nova-conductor openstack-nova-novncproxy";
    expectCommands("nova.services", "apply", [`systemctl enable ${services} && systemctl restart ${services}`]);
    expect(step("nova.services").ports?.map((p) => p.port)).toEqual([8774, 8775, 6080]);
    expect(step("nova.services").services).toEqual(services.split(" "));
  });
});

describe("nova-compute on c1 and c2", () => {
  /** A /dev/kvm that is no KVM device (a plain file in the sandbox): the real probe finds it unusable on any machine. */
  const NO_USABLE_KVM = { "/dev/kvm": "" };
  const computeBox = (host: typeof c1, env: Record<string, string> = {}): Sandbox => ({ host, paths: [centos7Train.nova.config], env });

  it("installs openstack-nova-compute on the computes only", () => {
    expect(step("nova-compute.install").roles).toEqual(["compute"]);
    expect(linesOf("nova-compute.install")).toContain("yum -y install openstack-nova-compute");
  });

  it("writes each compute's nova.conf with its own my_ip, VNC through ct's proxy, and virt_type qemu where the host's own probe finds no usable KVM", () => {
    for (const host of [c1, c2]) {
      const applied = applyThenCheck("nova-compute.configure", { ...computeBox(host), files: NO_USABLE_KVM });
      const ini = readIni(applied.at(centos7Train.nova.config));
      expect(ini).toMatchObject({
        DEFAULT: { transport_url: `rabbit://openstack:${urlEscaped(SECRET_VALUES.RABBIT_PASS)}@ct:5672/`, my_ip: host.managementIp, use_neutron: "true" },
        api: { auth_strategy: "keystone" },
        keystone_authtoken: authtoken("nova", SECRET_VALUES.NOVA_PASS, "http://ct:5000/"),
        vnc: { enabled: "true", server_listen: "0.0.0.0", server_proxyclient_address: "$my_ip", novncproxy_base_url: "http://ct:6080/vnc_auto.html" },
        glance: { api_servers: "http://ct:9292" },
        oslo_concurrency: { lock_path: "/var/lib/nova/tmp" },
        placement: placementSection,
        libvirt: { virt_type: "qemu" },
      });
      // No database on a compute: it reaches the databases through the conductor.
      expect(ini.database).toBeUndefined();
      expect(ini.api_database).toBeUndefined();
    }
    expect(scriptOf("nova-compute.configure").secrets).toEqual(["RABBIT_PASS", "NOVA_PASS", "PLACEMENT_PASS"]);
  });

  it("takes virt_type from the host's entry in the plan: kvm where its probe said so", () => {
    const kvm = playbookInputFromFile({ ...cloudFile, hosts: cloudFile.hosts.map((h) => (h.name === "c2" ? { ...h, virtType: "kvm" as const } : h)) });
    const sandbox = stepSandbox(buildPlaybook(kvm), kvm, SECRET_VALUES);
    const [, k1, k2] = kvm.hosts;
    const virtType = (host: typeof k1) => readIni(sandbox.applyThenCheck("nova-compute.configure", { ...computeBox(host), files: NO_USABLE_KVM }).at(centos7Train.nova.config)).libvirt.virt_type;
    // c2's check said kvm: taken as decided (its host is not probed again); c1 was never checked: its own probe decides.
    expect([virtType(k1), virtType(k2)]).toEqual(["qemu", "kvm"]);
    // The same step for both: the decision travels as the host's variable, and the exported script sets it.
    expect(renderHostScript(buildPlaybook(kvm), k2, kvm)).toContain("\nexport SP_HOST_VIRT_TYPE=kvm\n");
    expect(renderHostScript(buildPlaybook(kvm), k1, kvm)).not.toContain("export SP_HOST_VIRT_TYPE=");
    expect(renderHostScript(buildPlaybook(kvm), kvm.hosts[0], kvm)).not.toContain("export SP_HOST_VIRT_TYPE=");
  });

  it("lets a compute never checked decide on the host with the host check's probe: kvm where a test guest runs at hardware speed", () => {
    // A python that answers as the probe does on a machine with hardware virtualisation.
    const bin = mkdtempSync(path.join(os.tmpdir(), "sp-kvm-"));
    writeFileSync(path.join(bin, "python3"), "#!/bin/sh\necho 'usable a test guest ran at hardware speed (30000 loop iterations in 0.20 ms)'\n", { mode: 0o755 });
    const box = { ...computeBox(c1, { PATH: `${bin}:${process.env.PATH}` }), files: NO_USABLE_KVM };
    const applied = applyThenCheck("nova-compute.configure", box);
    expect(readIni(applied.at(centos7Train.nova.config)).libvirt.virt_type).toBe("kvm");
    expect(applied.stdout).toContain("[stackpilot] virt_type: kvm");
    // The probe's verdict, not the device's presence, decides.
    const slow = mkdtempSync(path.join(os.tmpdir(), "sp-kvm-"));
    writeFileSync(path.join(slow, "python3"), "#!/bin/sh\necho 'unusable a test guest runs, but at emulation speed (30000 loop iterations took 21 ms)'\n", { mode: 0o755 });
    expect(readIni(applyThenCheck("nova-compute.configure", { ...box, env: { PATH: `${slow}:${process.env.PATH}` } }).at(centos7Train.nova.config)).libvirt.virt_type).toBe("qemu");
  });



  it("enables and starts libvirtd and openstack-nova-compute", () => {
    expectCommands("nova-compute.service", "apply", ["systemctl enable libvirtd openstack-nova-compute && systemctl restart libvirtd openstack-nova-compute"]);
    expect(step("nova-compute.service").roles).toEqual(["compute"]);
  });

  describe("discover_hosts on ct", () => {
    const mapped = (hosts: string[]) => `sp_mysql() { case "$*" in ${hosts.map((h) => `*"'${h}'"*) echo 1 ;;`).join(" ")} *) echo 0 ;; esac; }`;

    it("is done only when both computes have a host mapping", () => {
      expect(step("nova-compute.discover-hosts").roles).toEqual(["controller"]);
      expect(run(scriptOf("nova-compute.discover-hosts", "check"), { setup: mapped(["c1", "c2"]) }).status).toBe(0);
      expect(run(scriptOf("nova-compute.discover-hosts", "check"), { setup: mapped(["c1"]) }).status).not.toBe(0);
    });

    it("waits for nova-compute up on both, then runs discover_hosts --verbose as nova", () => {
      const setup = [`openstack() { printf '%s\\n' 'c1 up' 'c2 up'; }`, 'su() { sp_fake su "$@"; }'].join("\n");
      const applied = run(scriptOf("nova-compute.discover-hosts"), { setup, files: { [ADMIN_OPENRC]: "" } });
      expect(applied.status, applied.stderr).toBe(0);
      expect(applied.log).toEqual(['su -s /bin/sh -c "nova-manage cell_v2 discover_hosts --verbose" nova']);
      expect(body("nova-compute.discover-hosts")).toContain("openstack compute service list --service nova-compute");
      expect(body("nova-compute.discover-hosts", "verify")).toContain("openstack compute service list --service nova-compute");
    });
  });
});

describe("the closing checks of the compute scope", () => {
  const outputs = (services: string[]) =>
    `openstack() { case "$*" in
      "compute service list -f value"*) printf '%s\\n' ${services.map((s) => `'${s}'`).join(" ")} ;;
      "hypervisor list -f value"*) printf '%s\\n' c1 c2.example ;;
      "resource provider list -f value"*) printf '%s\\n' c1 c2.example ;;
    esac; }
    nova-status() { echo "Check: Cells v2 Result: Success"; }`;
  const healthy = ["nova-scheduler ct enabled up", "nova-conductor ct enabled up", "nova-compute c1 enabled up", "nova-compute c2 enabled up"];

  it("pass when scheduler and conductor are up on ct, nova-compute on c1 and c2, each a hypervisor and a resource provider", () => {
    const verified = run(scriptOf("verify.compute", "verify"), { setup: outputs(healthy), files: { [ADMIN_OPENRC]: "" } });
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
    for (const command of ["openstack compute service list", "openstack hypervisor list", "openstack resource provider list", "nova-status upgrade check"]) {
      expect(body("verify.compute", "verify")).toContain(command);
    }
  });

  it("fail, naming the compute, when nova-compute is down on one", () => {
    const verified = run(scriptOf("verify.compute", "verify"), { setup: outputs(healthy.map((s) => s.replace("c2 enabled up", "c2 enabled down"))), files: { [ADMIN_OPENRC]: "" } });
    expect(verified.status).not.toBe(0);
    expect(verified.stderr).toContain("nova-compute is not enabled and up on c2");
  });

  it("fail when nova-compute is up but disabled on one (the scheduler would place nothing there)", () => {
    const verified = run(scriptOf("verify.compute", "verify"), { setup: outputs(healthy.map((s) => s.replace("c1 enabled", "c1 disabled"))), files: { [ADMIN_OPENRC]: "" } });
    expect(verified.status).not.toBe(0);
    expect(verified.stderr).toContain("nova-compute is not enabled and up on c1");
  });

  it("run every time (no check), after the tutorial's", () => {
    const verify = playbook.phases.at(-1)!;
    expect(verify.steps.map((s) => [s.key, Boolean(s.check)])).toEqual([
      ["verify.openstack", false],
      ["verify.compute", false],
      ["verify.network", false],
      ["verify.vm", false],
    ]);
  });
});

describe("the compute scope's ports and passwords", () => {
  it("adds 8778, 8774, 8775, 6080 and 9696 on ct to the tutorial's, checked from the computes and free before the run", () => {
    const ports = allSteps(playbook).flatMap(({ step: s }) => s.ports ?? []);
    expect(ports.map((p) => p.port).sort((a, b) => a - b)).toEqual([2379, 2380, 3306, 5000, 5672, 6080, 8774, 8775, 8778, 9292, 9696, 11211, 15672, 25672]);
    for (const port of [8778, 8774, 8775, 6080, 9696]) expect(body("preflight.ports")).toContain(`sport = :${port}`);
  });

  it("gives each secret only to the steps that use it; the computes get nova.conf's and neutron.conf's four and nothing else", () => {
    const holders = (name: ServiceSecret) =>
      allSteps(playbook)
        .filter(({ step: s }) => [s.check, s.apply, s.verify].some((x) => x?.secrets.includes(name)))
        .map(({ step: s }) => s.key);
    expect(holders("PLACEMENT_DBPASS")).toEqual(["placement.database", "placement.configure"]);
    expect(holders("NOVA_DBPASS")).toEqual(["nova.database", "nova.configure"]);
    expect(holders("PLACEMENT_PASS")).toEqual(["placement.identity", "placement.configure", "nova.configure", "nova-compute.configure"]);
    expect(holders("NOVA_PASS")).toEqual(["nova.identity", "nova.configure", "nova-compute.configure", "neutron.configure"]);
    expect(holders("NEUTRON_DBPASS")).toEqual(["neutron.database", "neutron.configure"]);
    expect(holders("NEUTRON_PASS")).toEqual(["neutron.identity", "neutron.configure", "neutron.nova", "neutron-agents.configure", "neutron-agents.nova"]);
    expect(holders("METADATA_SECRET")).toEqual(["neutron.configure", "neutron.nova"]);
    for (const host of [c1, c2]) {
      expect(renderHostScript(playbook, host, input)).toContain("# Needs these secrets in the environment: RABBIT_PASS NOVA_PASS PLACEMENT_PASS NEUTRON_PASS\n");
    }
    expect(renderHostScript(playbook, ct, input)).toContain("PLACEMENT_DBPASS PLACEMENT_PASS NOVA_DBPASS NOVA_PASS NEUTRON_DBPASS NEUTRON_PASS METADATA_SECRET\n");
  });
});
