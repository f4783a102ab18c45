import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import type { HostRole } from "../plan/planView";
import { PROFILES, type ProfileName } from "../plan/profiles";
import { validatePlan } from "../plan/validatePlan";
import { shellQuote } from "../shell/quote";
import { allSteps, buildPlaybook } from "./buildPlaybook";
import { servicePortsFor } from "./phases/preflight";
import { DISTRO_FACTS } from "./profiles";
import { planFileSchema, playbookInputFromFile } from "./planFile";
import type { PlaybookInput } from "./playbookInput";
import { renderHostScript } from "./renderScript";
import { PLAYBOOK_SCOPES, type PlaybookScope } from "./scope";
import { ALL_SERVICE_SECRETS, serviceSecretsFor, type ServiceSecret } from "./serviceSecrets";
import type { Playbook, Script } from "./types";

/**
 * Properties of every playbook: both profiles, both scopes, the tutorial's plan and plans with unusual but
 * valid values (other names and addresses, one or five computes, a region name with a hyphen, a
 * repository URL that needs quoting). Values are chosen so none can be mistaken for other text.
 */

const tutorialFile = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../examples/tutorial.plan.json", import.meta.url)), "utf8")));

function plan(hosts: [string, HostRole, string][], settings: Record<string, string>) {
  return { name: "test", hosts: hosts.map(([name, role, managementIp], i) => ({ name, role, managementIp, natIp: `172.31.9.${10 + i}` })), settings };
}

const PLANS = {
  "the tutorial's": tutorialFile,
  "one compute": plan(
    [
      ["zq-ctl", "controller", "10.77.31.201"],
      ["zq-cmp-a", "compute", "10.77.31.202"],
    ],
    {
      ntpServer: "time.zq-upstream.example",
      managementCidr: "10.77.31.0/24",
      regionName: "Zq_East-2",
      imageName: "zq-image.v1",
      centosRepository: "custom",
      centosRepositoryUrl: "http://repo.zq.example/~vault/7.9",
    },
  ),
  "five computes and a hyphenated region": plan(
    [
      ["zq-head.lab", "controller", "10.77.32.201"],
      ...["a", "b", "c", "d", "e"].map((x, i): [string, HostRole, string] => [`zq-node-${x}`, "compute", `10.77.32.${211 + i}`]),
    ],
    { ntpServer: "10.77.99.123", managementCidr: "", regionName: "Region-Two", imageName: "zq_img", centosRepository: "tutorial-mirror" },
  ),
};

/** The tutorial's controller name, ct, is inside other words (systemctl, project): its plan sits out the quoting test. */
const CASES = PROFILES.flatMap((profile) =>
  PLAYBOOK_SCOPES.flatMap((scope) =>
    Object.entries(PLANS).map(([name, file]) => ({ profile, scope, name, input: inputFor(profile, file, scope), distinct: file !== tutorialFile })),
  ),
);

function inputFor(profile: ProfileName, file: object, scope: PlaybookScope = "tutorial"): PlaybookInput {
  return playbookInputFromFile(planFileSchema.parse({ ...file, profile, scope }));
}

function scriptsOf(playbook: Playbook): { key: string; kind: string; script: Script }[] {
  return allSteps(playbook).flatMap(({ step }) => {
    const kinds: [string, Script | undefined][] = [
      ["check", step.check],
      ["apply", step.apply],
      ["verify", step.verify],
      ["outputs", step.outputs?.script],
    ];
    return kinds.filter((k): k is [string, Script] => k[1] !== undefined).map(([kind, script]) => ({ key: step.key, kind, script }));
  });
}

/** The plan's values that reach scripts: names, addresses and options. */
function planValues(input: PlaybookInput): string[] {
  const { ntpServer, managementCidr, regionName, imageName, centosRepository, centosRepositoryUrl } = input.options;
  return [
    ...input.hosts.flatMap((h) => [h.name, h.managementIp]),
    ntpServer,
    managementCidr,
    regionName,
    imageName,
    ...(centosRepository === "custom" ? [centosRepositoryUrl] : []),
  ];
}

/** A library function (sp_need, sp_db_login, sp_os_user …) given a variable's name among its arguments. */
const byName = (name: string) => new RegExp(`\\bsp_[a-z_]+(?: [\\w.-]+)*? ${name}\\b`);

/** The tutorial's secrets a script reads: as $NAME, by name through a library function, or through sp_mysql. */
function secretsRead(body: string): ServiceSecret[] {
  return ALL_SERVICE_SECRETS.filter(
    (name) => new RegExp(`\\$\\{?${name}\\b`).test(body) || byName(name).test(body) || (name === "MARIADB_ROOT_PASS" && /\bsp_(mysql|root_cnf)\b/.test(body)),
  );
}

const TUTORIAL_PHASES = ["preflight", "base", "ssh-trust", "chrony", "mariadb", "rabbitmq", "memcached", "etcd", "keystone", "glance"];
const PHASES: Record<PlaybookScope, string[]> = {
  tutorial: [...TUTORIAL_PHASES, "verify"],
  compute: [...TUTORIAL_PHASES, "placement", "nova", "nova-compute", "neutron", "neutron-agents", "verify"],
};

const TUTORIAL_PORTS: Record<string, number[]> = {
  "mariadb.configure": [3306],
  "rabbitmq.install": [5672, 25672],
  "rabbitmq.management": [15672],
  "memcached.configure": [11211],
  "etcd.configure": [2379, 2380],
  "keystone.web": [5000],
  "glance.db-sync": [9292],
};
const PORTS: Record<PlaybookScope, Record<string, number[]>> = {
  tutorial: TUTORIAL_PORTS,
  compute: { ...TUTORIAL_PORTS, "placement.web": [8778], "nova.services": [8774, 8775, 6080], "neutron.services": [9696] },
};

/** The closing checks run every time; everything else has a check. */
const UNCHECKED: Record<PlaybookScope, string[]> = { tutorial: ["verify.openstack"], compute: ["verify.openstack", "verify.compute", "verify.network", "verify.vm"] };

it("the unusual plans are valid plans", () => {
  for (const { input } of CASES) {
    const issues = validatePlan({
      serviceSecrets: Object.fromEntries(serviceSecretsFor(input.scope).map((name) => [name, true])) as Record<ServiceSecret, boolean>,
      hosts: input.hosts.map((h) => ({ ...h, sshPort: 22, sshUser: "root", authMethod: "password", passwordSet: true, privateKeySet: false })),
      settings: { ...input.options, scope: input.scope, credentialMode: "shared", sharedSshUser: "root", sharedAuthMethod: "password" },
      sharedSecrets: { passwordSet: true, privateKeySet: false },
    });
    expect(issues).toEqual([]);
  }
});

describe.each(CASES)("$profile, $scope scope, $name plan", ({ profile, scope, input, distinct }) => {
  const playbook = buildPlaybook(input);
  const steps = allSteps(playbook).map(({ step }) => step);

  it("has the scope's phases in the guide's order, each step keyed by its phase", () => {
    expect(playbook.profile).toBe(profile);
    expect(playbook.phases.map((p) => p.key)).toEqual(PHASES[scope]);
    for (const { phase, step } of allSteps(playbook)) expect(step.key.startsWith(`${phase.key}.`), step.key).toBe(true);
    expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
  });

  it("gives every step a check but the closing verification (it runs every time); only read-only steps use the same script to check and apply", () => {
    expect(steps.filter((s) => !s.check).map((s) => s.key)).toEqual(UNCHECKED[scope]);
    for (const step of steps) {
      if (!UNCHECKED[scope].includes(step.key)) expect(step.check?.body, step.key).toBeTruthy();
      expect(step.apply.body, step.key).toBeTruthy();
      expect(step.roles.length, step.key).toBeGreaterThan(0);
      expect(step.timeoutSeconds, step.key).toBeGreaterThan(0);
    }
    const sameScript = steps.filter((s) => s.check?.body === s.apply.body).map((s) => s.key);
    expect(sameScript).toEqual(["preflight.system", "preflight.ports", "ssh-trust.verify"]);
  });

  if (scope === "compute") it("gives every step of Placement, Nova and Neutron a check, an apply and a verify", () => {
    const added = allSteps(playbook).filter(({ phase }) => ["placement", "nova", "nova-compute", "neutron", "neutron-agents"].includes(phase.key));
    expect(added.length).toBeGreaterThanOrEqual(31);
    for (const { step } of added) {
      expect(step.check?.body, step.key).toBeTruthy();
      expect(step.verify?.body, step.key).toBeTruthy();
    }
  });

  it("lists the service ports on the steps that open them, on the controller, checked from the computes", () => {
    const listed = Object.fromEntries(steps.filter((s) => s.ports).map((s) => [s.key, s.ports!.map((p) => p.port)]));
    expect(listed).toEqual(PORTS[scope]);
    for (const port of steps.flatMap((s) => s.ports ?? [])) {
      expect(port.on).toBe("controller");
      expect(port.fromRoles).toEqual(["compute"]);
    }
    expect(servicePortsFor(scope).map((p) => p.port).sort()).toEqual(Object.values(PORTS[scope]).flat().sort());
  });

  it("names the distro's systemd units on the steps that install, configure, start or use them (what triage inspects)", () => {
    const facts = DISTRO_FACTS[profile];
    const unitsOf = (key: string) => steps.find((s) => s.key === key)?.services;
    for (const key of ["mariadb.install", "mariadb.configure", "mariadb.secure", "keystone.database", "glance.database"]) expect(unitsOf(key), key).toEqual([facts.mariadb.service]);
    expect(unitsOf("chrony.controller")).toEqual([facts.chrony.service]);
    expect(unitsOf("chrony.computes")).toEqual([facts.chrony.service]);
    expect(unitsOf("rabbitmq.install")).toEqual([facts.rabbitmq.service]);
    expect(unitsOf("memcached.configure")).toEqual([facts.memcached.service]);
    expect(unitsOf("etcd.configure")).toEqual([facts.etcd.service]);
    expect(unitsOf("keystone.web")).toEqual([facts.keystone.service]);
    expect(unitsOf("glance.db-sync")).toEqual(expect.arrayContaining(facts.glance.services));
    // Every step that opens a port names the unit that listens on it.
    for (const step of steps.filter((s) => s.ports)) expect(step.services?.length, step.key).toBeGreaterThan(0);
    // Unit names only: nothing a shell would read as more than one word.
    for (const unit of steps.flatMap((s) => s.services ?? [])) expect(unit).toMatch(/^[A-Za-z0-9@._-]+$/);
  });

  it("imports only what an earlier step outputs", () => {
    const seen = new Set<string>();
    for (const step of steps) {
      for (const name of step.imports ?? []) expect(seen.has(name), `${step.key} imports ${name}`).toBe(true);
      step.outputs?.names.forEach((name) => seen.add(name));
    }
  });

  if (distinct) it("puts every plan value into scripts only through shellQuote", async () => {
    const marked = await buildWithMarkedQuoting(input);
    const values = planValues(input);
    const unquoted = scriptsOf(marked).flatMap(({ key, kind, script }) => {
      const outside = outsideMarks(script.body).split("\n");
      const shown = script.body.replace(/[\u27e6\u27e7]/g, "").split("\n");
      return outside.flatMap((line, i) => values.filter((v) => line.includes(v)).map((v) => `${key} ${kind}: ${v} in «${shown[i].trim()}»`));
    });
    expect(unquoted).toEqual([]);
    // The marks were really put there: the same playbook, apart from them.
    expect(JSON.stringify(marked).replace(/[\u27e6\u27e7]/g, "")).toBe(JSON.stringify(playbook));
  });

  it("declares in each script the secrets its body reads", () => {
    const undeclared = scriptsOf(playbook).flatMap(({ key, kind, script }) =>
      secretsRead(script.body)
        .filter((name) => !script.secrets.includes(name))
        .map((name) => `${key} ${kind} reads ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it("never has a secret as a literal value: only $NAME, or its name given to a library function", () => {
    const literal = scriptsOf(playbook).flatMap(({ key, kind, script }) => {
      const rest = script.body.replace(/\$\{?[A-Z_]+\}?/g, "");
      return ALL_SERVICE_SECRETS.filter((name) => new RegExp(`\\b${name}\\b`).test(rest.replace(new RegExp(byName(name).source, "g"), ""))).map((name) => `${key} ${kind}: ${name}`);
    });
    expect(literal).toEqual([]);
  });

  it("takes no secret from anywhere at build time, not even the environment", () => {
    const sentinels = Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, `sentinel-${name.toLowerCase()}-93f1`]));
    const saved = { ...process.env };
    Object.assign(process.env, sentinels);
    try {
      const text = JSON.stringify(buildPlaybook(input));
      for (const value of Object.values(sentinels)) expect(text).not.toContain(value);
      expect(text).toBe(JSON.stringify(playbook));
    } finally {
      for (const name of ALL_SERVICE_SECRETS) if (!(name in saved)) delete process.env[name];
    }
  });

  it("repairs an install an earlier attempt left cut off right before every package install", () => {
    const install = /^(?:DEBIAN_FRONTEND=noninteractive apt-get install |yum -y install )/;
    let installs = 0;
    for (const step of steps) {
      for (const script of [step.check, step.apply, step.verify]) {
        const lines = (script?.body ?? "").split("\n").map((line) => line.trim());
        lines.forEach((line, i) => {
          if (!install.test(line)) return;
          installs++;
          expect(lines[i - 1], `${step.key}: ${line}`).toBe("sp_recover_packages");
        });
      }
    }
    expect(installs).toBeGreaterThanOrEqual(7);
  });

  describe("the host scripts", () => {
    const controller = input.hosts.find((h) => h.role === "controller")!;
    const computes = input.hosts.filter((h) => h.role === "compute");
    const rendered = new Map(input.hosts.map((h) => [h, renderHostScript(playbook, h, input)]));

    it("pass bash -n", () => {
      for (const [host, text] of rendered) {
        const result = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
        expect(result.stderr, host.name).toBe("");
        expect(result.status, host.name).toBe(0);
      }
    });

    it("refuse to run on the controller without every secret its steps read", () => {
      const read = new Set(steps.filter((s) => s.roles.includes("controller")).flatMap((s) => [s.check, s.apply, s.verify].flatMap((x) => (x ? secretsRead(x.body) : []))));
      const need = needLine(rendered.get(controller)!);
      expect(new Set(need)).toEqual(read);
      expect(need).toEqual([...serviceSecretsFor(scope)]);
      const refused = runPrelude(rendered.get(controller)!, {});
      expect(refused.status).toBe(1);
      for (const name of serviceSecretsFor(scope)) expect(refused.stderr).toContain(`Set ${name} before running this script.`);
      expect(runPrelude(rendered.get(controller)!, Object.fromEntries(need.map((n) => [n, "x y"]))).status).toBe(0);
    });

    // nova.conf and neutron.conf on a compute hold the message queue's, Nova's, Placement's and Neutron's passwords, and no other.
    const computeSecrets = scope === "compute" ? ["RABBIT_PASS", "NOVA_PASS", "PLACEMENT_PASS", "NEUTRON_PASS"] : [];

    it("need only the controller's public key on the computes, and nova.conf's passwords in the compute scope", () => {
      for (const host of computes) {
        expect(needLine(rendered.get(host)!)).toEqual([...computeSecrets, "CONTROLLER_PUBKEY"]);
        expect(runPrelude(rendered.get(host)!, {}).stderr).toContain("Set CONTROLLER_PUBKEY before running this script.");
        const given = Object.fromEntries(computeSecrets.map((name) => [name, "x y"]));
        expect(runPrelude(rendered.get(host)!, { ...given, CONTROLLER_PUBKEY: "ssh-rsa AAAA root@ct" }).status).toBe(0);
      }
    });

    it("carry the profile's package recovery", () => {
      const { lock, repairs } = DISTRO_FACTS[profile].packageRecovery;
      for (const [host, text] of rendered) {
        expect(text, host.name).toContain("\nsp_recover_packages() {\n");
        expect(text, host.name).toContain(lock.style === "open-files" ? lock.files[0] : lock.file);
        for (const { run } of repairs) expect(text, host.name).toContain(`Recovering an interrupted package install: ${run}`);
      }
    });

    it("set the host's own name and addresses, shell-quoted", () => {
      for (const [host, text] of rendered) {
        expect(text).toContain(`export SP_HOST_NAME=${shellQuote(host.name)}\nexport SP_HOST_IP=${shellQuote(host.managementIp)}\n`);
        expect(text).toContain(`export SP_CONTROLLER_NAME=${shellQuote(controller.name)}\nexport SP_CONTROLLER_IP=${shellQuote(controller.managementIp)}\n`);
      }
    });
  });
});

it("quotes a repository URL that needs it", () => {
  const input = inputFor("centos7-train", PLANS["one compute"]);
  const repos = allSteps(buildPlaybook(input)).find(({ step }) => step.key === "base.repositories")!.step;
  expect(repos.apply.body).toContain("base='http://repo.zq.example/~vault/7.9'");
});

// ---------------------------------------------------------------------------------------------

const OPEN = "\u27e6";
const CLOSE = "\u27e7";

/** The playbook built with a shellQuote that marks what it returns, so quoted text can be told apart. */
async function buildWithMarkedQuoting(input: PlaybookInput): Promise<Playbook> {
  vi.resetModules();
  vi.doMock("../shell/quote", () => ({ shellQuote: (value: string) => `${OPEN}${shellQuote(value)}${CLOSE}` }));
  try {
    const fresh = await import("./buildPlaybook");
    return fresh.buildPlaybook(input);
  } finally {
    vi.doUnmock("../shell/quote");
    vi.resetModules();
  }
}

/** The text with what shellQuote returned blanked out (lines kept). */
function outsideMarks(text: string): string {
  let depth = 0;
  let out = "";
  for (const ch of text) {
    if (ch === OPEN) depth++;
    else if (ch === CLOSE) depth--;
    else out += depth > 0 && ch !== "\n" ? " " : ch;
  }
  return out;
}

/** The names on the host script's top-level sp_need line. */
function needLine(text: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith("sp_need ") && l.endsWith(" || exit 1"));
  return line ? line.slice("sp_need ".length, -" || exit 1".length).split(" ") : [];
}

/** Runs a host script up to and including its sp_need line: variables and the library, no step. */
function runPrelude(text: string, env: Record<string, string>) {
  const lines = text.split("\n");
  const end = lines.findIndex((l) => l.startsWith("sp_need ") && l.endsWith(" || exit 1"));
  const prelude = lines.slice(0, end + 1).join("\n");
  expect(prelude).not.toMatch(/^step_\d+_/m);
  const unset = Object.fromEntries([...ALL_SERVICE_SECRETS, "CONTROLLER_PUBKEY"].map((name) => [name, undefined]));
  return spawnSync("bash", ["-c", prelude], { encoding: "utf8", env: { ...process.env, ...unset, ...env } });
}
