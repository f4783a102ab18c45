import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASK, Redactor } from "../logs/redactor";
import { SshSession } from "../ssh/sshSession";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { collectTriage, type TriageSession } from "./triage";

// This suite's own sshd (127.0.0.151–159 are the triage tests').
const ADDRESS = "127.0.0.151";
const PORT = 2222;
const OPTIONS = { readyTimeoutMs: 5000, keepaliveIntervalMs: 5000, keepaliveCountMax: 3 };
const SECRET = "Kd8$zq'pw-triage-7731";
const redactor = new Redactor([SECRET]);
const redact = (text: string) => redactor.redact(text);

let sshd: LoopbackSshd;
let session: SshSession;
/** Directories the test user reads: fake tools, and a PATH with nothing in it. */
let tools: string;
let fakeJournal: string;
let slowJournal: string;
let empty: string;

function script(dir: string, name: string, body: string) {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

/** The session, with PATH set before the triage script: what a host with other tools looks like. */
function withPath(dir: string): TriageSession {
  return {
    exec: (body, handlers, timeoutMs) => session.exec(`export PATH=${dir}:/usr/bin:/bin:/usr/sbin:/sbin\n${body}`, handlers, timeoutMs),
    isUsable: () => session.isUsable(),
    target: session.target,
  };
}

/** Only the directory given: no systemctl, journalctl, ss, netstat or timeout. */
function onlyPath(dir: string): TriageSession {
  return { exec: (body, handlers, timeoutMs) => session.exec(`export PATH=${dir}\n${body}`, handlers, timeoutMs), target: session.target };
}

beforeAll(async () => {
  sshd = await startLoopbackSshd({ address: ADDRESS, port: PORT, user: "sp-triage" });
  session = await SshSession.connect({ host: ADDRESS, port: PORT, username: sshd.user, password: sshd.password }, OPTIONS);
  tools = mkdtempSync(path.join(os.tmpdir(), "stackpilot-triage-"));
  chmodSync(tools, 0o755);
  fakeJournal = path.join(tools, "journal");
  slowJournal = path.join(tools, "slow");
  empty = path.join(tools, "empty");
  for (const dir of [fakeJournal, slowJournal, empty]) mkdirSync(dir, { mode: 0o755 });
  // A journal as a failed Keystone under Apache leaves it, with a password in a logged URL.
  script(
    fakeJournal,
    "journalctl",
    [
      `echo "Mar 02 10:32:15 ct httpd[2211]: (98)Address already in use: AH00072: make_sock: could not bind to address [::]:5000"`,
      `echo 'Mar 02 10:32:15 ct httpd[2211]: connection = mysql+pymysql://keystone:${SECRET.replace(/'/g, `'\\''`)}@ct/keystone'`,
      `echo "args: $*"`,
    ].join("\n"),
  );
  script(slowJournal, "journalctl", "echo 'reading the journal …'; exec /bin/sleep 5");
  for (const tool of ["ss", "timeout"]) symlinkSync(`/usr/bin/${tool}`, path.join(slowJournal, tool));
});

afterAll(async () => {
  session?.close();
  await sshd?.stop();
  if (tools) rmSync(tools, { recursive: true, force: true });
});

describe("collectTriage against a real OpenSSH server", () => {
  it("asks the host about each unit and its listening ports, one section per command", async () => {
    const triage = await collectTriage({ session, services: ["ssh", "cron", "ssh"], logTail: ["one line"], error: "Install MariaDB failed on ct (exit code 1).", redact });

    expect(triage.sections.map((s) => s.title)).toEqual(["ssh: status", "ssh: journal (last 50 lines)", "cron: status", "cron: journal (last 50 lines)", "Listening TCP ports"]);
    expect(triage.sections.map((s) => s.command)).toEqual([
      "systemctl status ssh --no-pager -l",
      "journalctl -u ssh -n 50 --no-pager",
      "systemctl status cron --no-pager -l",
      "journalctl -u cron -n 50 --no-pager",
      "ss -ltnp",
    ]);
    // This machine's sshd for the suite listens; whatever systemd says, it says it in words.
    expect(triage.sections[4].output).toContain(`${ADDRESS}:${PORT}`);
    for (const section of triage.sections) {
      expect(section.output.trim(), section.title).not.toBe("");
      expect(section.output).not.toMatch(/@@stackpilot-triage-/);
    }
    expect(triage.lastLines).toEqual(["one line"]);
    expect(triage.hint).toBeNull();
  });

  it("says plainly that systemctl, journalctl and ss are not there on a host without them", async () => {
    const triage = await collectTriage({ session: onlyPath(empty), services: ["mariadb"], logTail: [], error: "MariaDB failed.", redact });

    const [status, journal, ports] = triage.sections;
    expect(status).toMatchObject({ title: "mariadb: status", output: "systemctl is not available on this host (no systemd), so the status of mariadb cannot be shown." });
    expect(journal.output).toBe("journalctl is not available on this host (no systemd journal), so the log of mariadb cannot be shown.");
    expect(ports.output).toMatch(/^Neither ss nor netstat is available on this host/);
  });

  it("masks a secret wherever it shows up and takes the hint from the journal when the log knows nothing", async () => {
    const triage = await collectTriage({
      session: withPath(fakeJournal),
      services: ["httpd"],
      logTail: [...Array.from({ length: 60 }, (_, i) => `line ${i}`), `export KEYSTONE_DBPASS=${SECRET}`],
      error: `Keystone failed on ct: password ${SECRET} was used`,
      redact,
    });

    const journal = triage.sections.find((s) => s.title === "httpd: journal (last 50 lines)")!;
    expect(journal.output).toContain("could not bind to address [::]:5000");
    expect(journal.output).toContain(`mysql+pymysql://keystone:${MASK}@ct/keystone`);
    // The unit and the options reach journalctl as separate words.
    expect(journal.output).toContain("args: -u httpd -n 50 --no-pager");
    expect(JSON.stringify(triage)).not.toContain(SECRET);
    expect(triage.lastLines).toHaveLength(50);
    expect(triage.lastLines[0]).toBe("line 11");
    expect(triage.lastLines.at(-1)).toBe(`export KEYSTONE_DBPASS=${MASK}`);
    expect(triage.hint).toMatch(/^Port 5000 is already taken/);
  });

  it("gives the step's log priority over the journal for the hint", async () => {
    const triage = await collectTriage({
      session: withPath(fakeJournal),
      services: ["httpd"],
      logTail: [`sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, "Access denied for user 'keystone'@'ct' (using password: YES)")`],
      error: "keystone-manage db_sync failed on ct (exit code 1).",
      redact,
    });
    expect(triage.hint).toMatch(/KEYSTONE_DBPASS/);
  });

  it("keeps what came before a host that stops answering, and says what was not asked", async () => {
    const started = Date.now();
    const triage = await collectTriage({ session: onlyPath(slowJournal), services: ["etcd"], logTail: [], error: "etcd failed.", redact, timeoutMs: 1500 });

    expect(Date.now() - started).toBeLessThan(12_000);
    const [status, journal, ports] = triage.sections;
    expect(status.output).toMatch(/^systemctl is not available/);
    expect(journal.output).toMatch(/^reading the journal …\n… \(cut off: The command on 127\.0\.0\.151 did not finish within 2 s[^\n]*\)$/);
    expect(ports.output).toMatch(/^Not asked \(The command on 127\.0\.0\.151 did not finish within 2 s[^\n]*\)\.$/);
    // The session is still good for the next step.
    expect(session.isUsable()).toBe(true);
  });

  it("does not send a unit name that is not one", async () => {
    const triage = await collectTriage({ session, services: ["x; touch /tmp/pwned-triage", "-H"], logTail: [], error: "", redact });
    expect(triage.sections.slice(0, 2).map((s) => s.output)).toEqual(["Not a systemd unit name: not asked on the host.", "Not a systemd unit name: not asked on the host."]);
    expect(triage.sections.map((s) => s.title)).toEqual(["x; touch /tmp/pwned-triage", "-H", "Listening TCP ports"]);
  });

  it("gives a triage without throwing when the session is closed or missing", async () => {
    const closed = await SshSession.connect({ host: ADDRESS, port: PORT, username: sshd.user, password: sshd.password }, OPTIONS);
    closed.close();
    const log = ["E: Unable to locate package etcd-server"];

    const triage = await collectTriage({ session: closed, services: ["etcd"], logTail: log, error: `etcd failed (${SECRET})`, redact });
    expect(triage.sections).toHaveLength(1);
    expect(triage.sections[0].title).toBe(`${ADDRESS} could not be asked`);
    expect(triage.sections[0].output).toMatch(/SSH connection to 127\.0\.0\.151 is closed or lost/);
    expect(triage.sections[0].command).toContain("journalctl -u etcd -n 50 --no-pager");
    expect(triage.hint).toMatch(/The package etcd-server is in none/);
    expect(triage.lastLines).toEqual(log);

    // A session that reports itself usable but fails on exec (the connection died just now).
    const dying: TriageSession = { exec: () => closed.exec("true"), isUsable: () => true, target: closed.target };
    const late = await collectTriage({ session: dying, services: ["etcd"], logTail: [], error: "", redact });
    expect(late.sections[0].output).toMatch(/^The commands could not run on 127\.0\.0\.151: The SSH session is closed\./);

    const none = await collectTriage({ session: null, services: ["etcd"], logTail: [], error: "", redact });
    expect(none.sections[0]).toMatchObject({ title: "the host could not be asked", output: "There is no SSH connection to this host, so its services could not be inspected." });
    expect(none.hint).toBeNull();
  });
});
