import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scriptLibrary } from "./scriptLibrary";

const hostile = `p'a"s$s \`x\`\\;&|<> ünï 密码%@/:#`;

/** Runs a snippet after the library in local bash (the functions are plain bash + Python). */
function bash(snippet: string, env: Record<string, string> = {}, input?: string): string {
  return execFileSync("bash", ["-c", `${scriptLibrary("python3")}\n${snippet}`], { encoding: "utf8", env: { ...process.env, ...env }, input });
}

describe("the step scripts' shell library", () => {
  it("escapes for SQL, URLs, oslo.config, JSON and shlex so the value reads back unchanged", () => {
    const esc = (kind: string) => bash(`printf '%s' "$V" | sp_escape ${kind}`, { V: hostile });
    expect(esc("sql")).toBe(hostile.replace(/\\/g, "\\\\").replace(/'/g, "''"));
    expect(decodeURIComponent(esc("url"))).toBe(hostile);
    expect(esc("url")).toMatch(/^[A-Za-z0-9._~%-]+$/);
    expect(esc("oslo")).toBe(hostile.replace(/\$/g, "$$$$"));
    expect(JSON.parse(esc("json"))).toBe(hostile);
    const shlex = esc("shlex");
    expect(execFileSync("python3", ["-c", "import shlex,sys; sys.stdout.write(shlex.split(sys.argv[1])[0])", shlex], { encoding: "utf8" })).toBe(hostile);
  });

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
    expect(() => execFileSync("bash", ["-c", `${scriptLibrary("python3")}\nsp_need RABBIT_PASS ADMIN_PASS`], { env: { ...process.env, RABBIT_PASS: undefined, ADMIN_PASS: "x" }, stdio: "pipe" })).toThrow(
      /Set RABBIT_PASS before running this script/,
    );
  });

  it("puts a password in a 0600 client config, escaped for MySQL's option file syntax", () => {
    const out = bash('f=$(sp_client_cnf keystone V); stat -c %a "$f"; cat "$f"; rm -f "$f"', { V: hostile });
    expect(out).toBe(`600\n[client]\nuser=keystone\npassword="${hostile.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\n`);
  });
});
