import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { debian12Zed } from "./profiles/debian12Zed";
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
