import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose } from "../runs/triage";
import { centos7Train } from "./profiles/centos7Train";
import { debian12Zed } from "./profiles/debian12Zed";
import type { DistroFacts } from "./profiles/distroFacts";
import { scriptLibrary } from "./scriptLibrary";

const hostile = `p'a"s$s \`x\`\\;&|<> ünï 密码%@/:#`;

/** CentOS 7 runs the library with Python 2: test it there too when this machine has one. */
const PYTHON2 = [path.join(os.homedir(), ".pyenv/versions/2.7.18/bin/python2.7"), "/usr/bin/python2"].find((p) => existsSync(p));
const PYTHONS = ["python3", ...(PYTHON2 ? [PYTHON2] : [])];

/** Runs a snippet after the library in local bash (the functions are plain bash + Python). */
function bash(snippet: string, env: Record<string, string> = {}, input?: string, python = "python3"): string {
  return execFileSync("bash", ["-c", `${scriptLibrary({ ...debian12Zed, python })}\n${snippet}`], { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8", ...env }, input });
}

describe.each(PYTHONS)("the step scripts' shell library with %s", (python) => {
  it("escapes for SQL, URLs and oslo.config so the value reads back unchanged", () => {
    const esc = (kind: string) => bash(`printf '%s' "$V" | sp_escape ${kind}`, { V: hostile }, undefined, python);
    expect(esc("sql")).toBe(hostile.replace(/\\/g, "\\\\").replace(/'/g, "''"));
    expect(decodeURIComponent(esc("url"))).toBe(hostile);
    expect(esc("url")).toMatch(/^[A-Za-z0-9._~%-]+$/);
    expect(esc("oslo")).toBe(hostile.replace(/\$/g, "$$$$"));
  });

  it("escapes a database password so PyMySQL sends the UTF-8 bytes MariaDB hashed", () => {
    const dburl = bash(`printf '%s' "$V" | sp_escape dburl`, { V: hostile }, undefined, python);
    expect(dburl).toMatch(/^[A-Za-z0-9._~%-]+$/);
    // What SQLAlchemy (unquote) and then PyMySQL (latin-1 for text) make of it, under this Python.
    const sent = execFileSync(
      python,
      ["-c", "import sys\ntry:\n from urllib.parse import unquote\nexcept ImportError:\n from urllib import unquote\nv = unquote(sys.argv[1])\nsys.stdout.write(v.encode('latin-1').decode('utf-8') if str is not bytes else v)", dburl],
      { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8" } },
    );
    expect(sent).toBe(hostile);
  });

  it("sets and reads ini values with this Python", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "sp-ini-")), "keystone.conf");
    writeFileSync(file, "[database]\n#connection = <None>\n");
    bash(`printf '%s' "$V" | sp_ini_set "$F" database connection`, { V: hostile, F: file }, undefined, python);
    expect(bash(`sp_ini_get "$F" database connection`, { F: file }, undefined, python)).toBe(hostile);
    expect(readFileSync(file, "utf8")).toBe(`[database]\nconnection = ${hostile}\n#connection = <None>\n`);
  });

  it("leaves a file that already has the value as it is, its modification time too (a service started after it needs no restart), with this Python", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "sp-ini-")), "neutron.conf");
    writeFileSync(file, `[DEFAULT]\ncore_plugin = ml2\n`);
    const past = new Date("2026-01-01T00:00:00Z");
    utimesSync(file, past, past);
    bash(`printf '%s' ml2 | sp_ini_set "$F" DEFAULT core_plugin`, { F: file }, undefined, python);
    expect(statSync(file).mtime).toEqual(past);
    bash(`printf '%s' router | sp_ini_set "$F" DEFAULT service_plugins`, { F: file }, undefined, python);
    expect(statSync(file).mtime).not.toEqual(past);
    expect(readFileSync(file, "utf8")).toBe("[DEFAULT]\nservice_plugins = router\ncore_plugin = ml2\n");
  });

  describe("Keystone through keystoneauth1 (a fake Keystone here)", () => {
    const admin = `adm'in "$x" ü`;
    /** A fake keystoneauth1 and keystoneclient on PYTHONPATH, their data in a JSON file. */
    function fakeKeystone() {
      const dir = mkdtempSync(path.join(os.tmpdir(), "sp-ks-"));
      const state = path.join(dir, "state.json");
      const files: Record<string, string> = {
        "keystoneauth1/__init__.py": "",
        "keystoneauth1/exceptions.py": "class Unauthorized(Exception):\n    pass\n",
        "keystoneauth1/identity/__init__.py": "",
        "keystoneauth1/identity/v3.py": "class Password(object):\n    def __init__(self, **kw):\n        self.kw = kw\n",
        "keystoneauth1/session.py": [
          "import json, os",
          "from keystoneauth1 import exceptions",
          "def load():",
          "    return json.load(open(os.environ['FAKE_KEYSTONE']))",
          "def save(state):",
          "    json.dump(state, open(os.environ['FAKE_KEYSTONE'], 'w'))",
          "class Session(object):",
          "    def __init__(self, auth):",
          "        self.kw = auth.kw",
          "    def get_token(self):",
          "        if load()['users'].get(self.kw['username']) != self.kw['password'] or self.kw['user_domain_name'] != 'Default':",
          "            raise exceptions.Unauthorized()",
          "        return 'token'",
        ].join("\n"),
        "keystoneclient/__init__.py": "",
        "keystoneclient/v3/__init__.py": "",
        "keystoneclient/v3/client.py": [
          "from keystoneauth1.session import load, save",
          "class Obj(object):",
          "    def __init__(self, **kw):",
          "        self.__dict__.update(kw)",
          "class Users(object):",
          "    def list(self, name, domain):",
          "        return [Obj(name=name)] if domain == 'default' and name in load()['users'] else []",
          "    def update(self, user, password):",
          "        state = load(); state['users'][user.name] = password; save(state)",
          "    def create(self, name, domain, password):",
          "        state = load(); state['users'][name] = password; save(state)",
          "class Named(object):",
          "    def __init__(self, kind):",
          "        self.kind = kind",
          "    def list(self, name=None, domain=None, type=None):",
          "        wanted = name if name is not None else type",
          "        return [Obj(name=wanted)] if wanted in load()[self.kind] else []",
          "class Endpoints(object):",
          "    def list(self, service, interface, region_id):",
          "        return [Obj(url=e[3]) for e in load()['endpoints'] if e[:3] == [service.name, interface, region_id]]",
          "class Assignments(object):",
          "    def list(self, user, project, role):",
          "        return [1] if [user.name, project.name, role.name] in load()['assignments'] else []",
          "class Client(object):",
          "    def __init__(self, session):",
          "        session.get_token()",
          "        self.users, self.projects, self.roles = Users(), Named('projects'), Named('roles')",
          "        self.services, self.endpoints, self.role_assignments = Named('services'), Endpoints(), Assignments()",
        ].join("\n"),
      };
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), `${text}\n`);
      }
      writeFileSync(
        state,
        JSON.stringify({
          users: { admin },
          projects: ["admin", "service"],
          roles: ["admin"],
          services: ["image"],
          endpoints: [["image", "public", "RegionOne", "http://ct:9292"]],
          assignments: [],
        }),
      );
      const env = { PYTHONPATH: dir, FAKE_KEYSTONE: state, OS_AUTH_URL: "http://ct:5000/v3", OS_USERNAME: "admin", OS_PASSWORD: admin, OS_PROJECT_NAME: "admin", GLANCE_PASS: hostile };
      const run = (snippet: string, more: Record<string, string> = {}) =>
        spawnSync("bash", ["-c", `${scriptLibrary({ ...debian12Zed, python })}\n${snippet}`], { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8", ...env, ...more } });
      return { run, users: () => JSON.parse(readFileSync(state, "utf8")).users as Record<string, string> };
    }

    it("creates a user with the password from the named variable, then sets it", () => {
      const keystone = fakeKeystone();
      const created = keystone.run("sp_os_user glance GLANCE_PASS");
      expect(created.stderr).toBe("");
      expect(created.stdout).toBe("User glance created.\n");
      expect(keystone.users().glance).toBe(hostile);
      const updated = keystone.run("sp_os_user glance GLANCE_PASS", { GLANCE_PASS: "other ü" });
      expect(updated.stdout).toBe("Password of user glance set.\n");
      expect(keystone.users().glance).toBe("other ü");
    });

    it("tells whether projects, roles, services, endpoints, assignments and logins exist", () => {
      const keystone = fakeKeystone();
      keystone.run("sp_os_user glance GLANCE_PASS");
      const has = (things: string, more: Record<string, string> = {}) => keystone.run(`sp_os_has ${things}`, more);
      expect(has("project service role admin service image endpoint image public RegionOne http://ct:9292 login glance service GLANCE_PASS").status).toBe(0);
      const missing = has("project service role user endpoint image admin RegionOne http://ct:9292 assignment glance service admin");
      expect(missing.status).toBe(1);
      expect(missing.stderr.split("\n").filter(Boolean)).toEqual([
        "Not in Keystone: role user",
        "Not in Keystone: endpoint image admin RegionOne http://ct:9292",
        "Not in Keystone: assignment glance service admin",
      ]);
      expect(has("login glance service GLANCE_PASS", { GLANCE_PASS: "wrong" }).status).toBe(1);
      // Without a working admin login nothing can be told: not done.
      expect(has("project service", { OS_PASSWORD: "wrong" }).status).not.toBe(0);
    });
  });
});

describe("the step scripts' shell library", () => {

  it("sets and reads ini values without losing comments, creating sections as needed", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sp-ini-"));
    const file = path.join(dir, "glance-api.conf");
    writeFileSync(file, "[DEFAULT]\n# a comment\n#debug = false\n\n[database]\n# connection = sqlite://\nbackend = sqlalchemy\n");
    bash(`printf '%s' "$V" | sp_ini_set "$F" database connection; printf 'x' | sp_ini_set "$F" paste_deploy flavor; printf 'y' | sp_ini_set "$F" database backend`, { V: hostile, F: file });
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# a comment\n#debug = false");
    expect(text).toContain(`[database]\nconnection = ${hostile}\n# connection = sqlite://\nbackend = y`);
    expect(text).toContain("[paste_deploy]\nflavor = x");
    expect(bash(`sp_ini_get "$F" database connection`, { F: file })).toBe(hostile);
    expect(bash(`sp_ini_get "$F" nosuch key`, { F: file })).toBe("");
  });

  it("writes a file only when its content changes", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "sp-w-")), "a", "f.conf");
    const write = () => bash(`if printf 'v=1\\n' | sp_write "$F" 600; then echo changed; else echo same; fi`, { F: file }).trim();
    expect(write()).toBe("changed");
    expect(write()).toBe("same");
    expect((os.platform() === "linux" ? execFileSync("stat", ["-c", "%a", file], { encoding: "utf8" }) : "600").trim()).toBe("600");
  });

  it("refuses to go on when a secret is missing, naming it", () => {
    expect(() => execFileSync("bash", ["-c", `${scriptLibrary(debian12Zed)}\nsp_need RABBIT_PASS ADMIN_PASS`], { env: { ...process.env, RABBIT_PASS: undefined, ADMIN_PASS: "x" }, stdio: "pipe" })).toThrow(
      /Set RABBIT_PASS before running this script/,
    );
  });

  it("puts a password in a 0600 client config, escaped for MySQL's option file syntax", () => {
    const out = bash('f=$(sp_client_cnf keystone V); stat -c %a "$f"; cat "$f"; rm -f "$f"', { V: hostile });
    expect(out).toBe(`600\n[client]\nuser=keystone\npassword="${hostile.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\n`);
  });
});

/**
 * The profiles' package recovery, run in local bash with its host paths moved into a scratch
 * directory and the package tools replaced by fakes that keep a state file and log their calls.
 */
describe("sp_recover_packages: repairing an install that was cut off, before the next", () => {
  /** The facts with every host path under `root`. */
  function moved(facts: DistroFacts, root: string, paths: string[]): DistroFacts {
    // One pass, longest first: /var/lib/dpkg/lock is also the start of /var/lib/dpkg/lock-frontend.
    const escaped = [...paths].sort((a, b) => b.length - a.length).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(escaped.join("|"), "g");
    const move = (text: string) => text.replace(pattern, (p) => path.join(root, p));
    const lock = facts.packageRecovery.lock;
    return {
      ...facts,
      packageRecovery: {
        ...facts.packageRecovery,
        lock: lock.style === "open-files" ? { ...lock, files: lock.files.map(move) } : { ...lock, file: move(lock.file) },
        repairs: facts.packageRecovery.repairs.map(({ when, run }) => ({ when: move(when), run })),
      },
    };
  }

  function recover(facts: DistroFacts, fakes: string, snippet: string, root: string) {
    return spawnSync("bash", ["-c", ["set -eo pipefail", scriptLibrary(facts), fakes, snippet].join("\n")], {
      encoding: "utf8",
      env: { ...process.env, LC_ALL: "C.UTF-8", ROOT: root },
      timeout: 20_000,
    });
  }

  const scratch = () => mkdtempSync(path.join(os.tmpdir(), "sp-recover-"));
  const calls = (root: string) => (existsSync(path.join(root, "calls")) ? readFileSync(path.join(root, "calls"), "utf8").trim().split("\n") : []);

  describe("on Debian", () => {
    const PATHS = ["/var/lib/dpkg/updates", "/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/cache/apt/archives/lock"];
    // dpkg --audit lists what "$ROOT/unpacked" names; --configure -a configures all but "$ROOT/half-installed"; apt-get -f reinstalls that.
    const FAKES = String.raw`
dpkg() {
  if [ "$1" = --audit ]; then cat "$ROOT/unpacked" "$ROOT/half-installed" 2>/dev/null; return 0; fi
  echo "dpkg $*" >> "$ROOT/calls"; rm -f "$ROOT/unpacked" "$ROOT/var/lib/dpkg/updates/"*
}
apt-get() { echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "$ROOT/calls"; rm -f "$ROOT/half-installed"; }`;
    const sandbox = () => {
      const root = scratch();
      mkdirSync(path.join(root, "var/lib/dpkg/updates"), { recursive: true });
      mkdirSync(path.join(root, "var/cache/apt/archives"), { recursive: true });
      for (const lock of PATHS.slice(1)) writeFileSync(path.join(root, lock), "");
      return { root, facts: moved(debian12Zed, root, PATHS) };
    };

    it("does nothing and says nothing when the last install finished", () => {
      const { root, facts } = sandbox();
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("");
      expect(calls(root)).toEqual([]);
    });

    it("finishes dpkg's interrupted work with dpkg --configure -a, logged as such", () => {
      const { root, facts } = sandbox();
      writeFileSync(path.join(root, "var/lib/dpkg/updates/0001"), "");
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("[stackpilot] Recovering an interrupted package install: dpkg --force-confdef --force-confold --configure -a\n");
      expect(calls(root)).toEqual(["dpkg --force-confdef --force-confold --configure -a"]);
    });

    it("has apt reinstall a package cut off while unpacking, which dpkg --configure -a cannot finish", () => {
      const { root, facts } = sandbox();
      writeFileSync(path.join(root, "unpacked"), "python3-numpy: unpacked\n");
      writeFileSync(path.join(root, "half-installed"), "vim-runtime: half-installed\n");
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split("\n")).toEqual([
        "[stackpilot] Recovering an interrupted package install: dpkg --force-confdef --force-confold --configure -a",
        "[stackpilot] Recovering an interrupted package install: apt-get -f install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0",
      ]);
      expect(calls(root)[1]).toBe("apt-get -f install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0 DEBIAN_FRONTEND=noninteractive");
    });

    it("says so when a repair fails, and goes on to the next", () => {
      const { root, facts } = sandbox();
      writeFileSync(path.join(root, "unpacked"), "keystone: half-configured\n");
      const result = recover(facts, `${FAKES}\ndpkg() { [ "$1" = --audit ] && cat "$ROOT/unpacked"; [ "$1" = --audit ] || return 1; }`, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("Could not repair the interrupted package install: dpkg --force-confdef --force-confold --configure -a failed.\n");
      expect(calls(root)[0]).toMatch(/^apt-get -f install/);
    });

    it("waits for a live process holding the lock, never stopping it, and goes on once it is done", () => {
      const { root, facts } = sandbox();
      // Holds /var/lib/dpkg/lock open for 1.5 s, as dpkg does while it works.
      const result = recover(facts, FAKES, `(exec 9>"$ROOT/var/lib/dpkg/lock"; exec -a sp-holder sleep 1.5) & holder=$!\nsleep 0.3\nsp_recover_packages 10\necho "holder $holder"`, root);
      expect(result.status).toBe(0);
      const holder = /holder (\d+)/.exec(result.stdout)![1];
      expect(result.stdout).toContain(`[stackpilot] Waiting up to 10 s for process ${holder} (sleep) to release the package manager's lock.`);
    });

    it("gives up after its wait with a message naming the holder, which it leaves running", () => {
      const { root, facts } = sandbox();
      const result = recover(facts, FAKES, `(exec 9>"$ROOT/var/lib/dpkg/lock-frontend"; exec sleep 5) & holder=$!\nsleep 0.3\nsp_recover_packages 1 || { echo "exit $?"; kill -0 $holder && echo "holder $holder still runs"; kill $holder; }`, root);
      const holder = /holder (\d+) still runs/.exec(result.stdout)?.[1];
      expect(holder, result.stdout + result.stderr).toBeDefined();
      expect(result.stdout).toContain("exit 1");
      expect(result.stderr).toBe(`The package manager's lock is still held by process ${holder} (sleep) after 1 s: another install is running on this host.\n`);
      expect(diagnose(result.stderr)).toEqual({ id: "package-lock-held", params: { pid: holder, program: "sleep" } });
      expect(calls(root)).toEqual([]);
    });
  });

  describe("on CentOS 7", () => {
    const PATHS = ["/var/run/yum.pid", "/var/lib/yum"];
    // yum-complete-transaction finishes the journal unless "$ROOT/cannot-finish" exists; --cleanup-only drops it.
    const FAKES = String.raw`
rpm() { echo "rpm $*" >> "$ROOT/calls"; [ -e "$ROOT/yum-utils" ]; }
yum() { echo "yum $*" >> "$ROOT/calls"; touch "$ROOT/yum-utils"; }
yum-complete-transaction() {
  echo "yum-complete-transaction $*" >> "$ROOT/calls"
  if [ "$1" = -y ] && [ -e "$ROOT/cannot-finish" ]; then return 1; fi
  rm -f "$ROOT/var/lib/yum/transaction-"*
}`;
    const sandbox = () => {
      const root = scratch();
      mkdirSync(path.join(root, "var/run"), { recursive: true });
      mkdirSync(path.join(root, "var/lib/yum"), { recursive: true });
      return { root, facts: moved(centos7Train, root, PATHS) };
    };
    const deadPid = () => {
      const child = spawnSync("bash", ["-c", "echo $$"], { encoding: "utf8" });
      return child.stdout.trim();
    };

    it("removes a yum.pid whose process is gone, logged as such", () => {
      const { root, facts } = sandbox();
      const pid = deadPid();
      writeFileSync(path.join(root, "var/run/yum.pid"), `${pid}\n`);
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`[stackpilot] Recovering an interrupted package install: removing ${path.join(root, "var/run/yum.pid")} (process ${pid} is gone)\n`);
      expect(existsSync(path.join(root, "var/run/yum.pid"))).toBe(false);
    });

    it("leaves the yum.pid of a live yum alone, and gives up after its wait naming it", () => {
      const { root, facts } = sandbox();
      const result = recover(facts, FAKES, `sleep 5 & holder=$!\necho $holder > "$ROOT/var/run/yum.pid"\nsp_recover_packages 1 || { echo "exit $?"; kill $holder; }`, root);
      expect(result.stdout).toContain("exit 1");
      expect(result.stderr).toMatch(/^The package manager's lock is still held by process \d+ \(sleep\) after 1 s: another install is running on this host\.\n$/);
      expect(existsSync(path.join(root, "var/run/yum.pid"))).toBe(true);
    });

    it("finishes an unfinished transaction with yum-complete-transaction, installing yum-utils first when it is missing", () => {
      const { root, facts } = sandbox();
      writeFileSync(path.join(root, "var/lib/yum/transaction-all.2024-03-02.10:30.01"), "");
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(
        "[stackpilot] Recovering an interrupted package install: { rpm -q yum-utils >/dev/null 2>&1 || yum -y install yum-utils; } && yum-complete-transaction -y\n",
      );
      expect(calls(root)).toEqual(["rpm -q yum-utils", "yum -y install yum-utils", "yum-complete-transaction -y"]);
    });

    it("drops the journal with --cleanup-only when the transaction cannot be finished", () => {
      const { root, facts } = sandbox();
      writeFileSync(path.join(root, "yum-utils"), "");
      writeFileSync(path.join(root, "cannot-finish"), "");
      writeFileSync(path.join(root, "var/lib/yum/transaction-all.2024-03-02.10:30.01"), "");
      const result = recover(facts, FAKES, "sp_recover_packages", root);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Recovering an interrupted package install: yum-complete-transaction --cleanup-only\n$/);
      expect(calls(root)).toEqual(["rpm -q yum-utils", "yum-complete-transaction -y", "yum-complete-transaction --cleanup-only"]);
      expect(readdirSync(path.join(root, "var/lib/yum"))).toEqual([]);
    });
  });
});
