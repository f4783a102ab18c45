import { shellQuote } from "../shell/quote";
import type { DistroFacts, PackageRecovery } from "./profiles/distroFacts";
import type { Step } from "./types";

/**
 * What every apt-get that runs dpkg is given: keep a changed config file (no prompt), and no pty for
 * dpkg — apt puts dpkg on a pty in a session of its own, where a Cancel, which stops the step's
 * process group, would not reach it and it would go on holding the lock.
 */
export const APT_OPTIONS = "-o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0";

/**
 * Script lines that install packages, and that test whether they are all installed. An install
 * first repairs one an earlier attempt left cut off (sp_recover_packages, in the script library).
 */
export function installPackages(facts: DistroFacts, packages: string[]): string {
  const list = packages.map(shellQuote).join(" ");
  const install =
    facts.packageManager === "yum"
      ? `yum -y install ${list}`
      : `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${APT_OPTIONS} ${list}`;
  return `sp_recover_packages\n${install}`;
}

export function packagesInstalled(facts: DistroFacts, packages: string[]): string {
  const list = packages.map(shellQuote).join(" ");
  if (facts.packageManager === "yum") return `rpm -q ${list} >/dev/null`;
  return `for p in ${list}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || exit 1; done`;
}

/** A step that installs a service's packages (on the controller unless told), skipped when all are there. */
export function installStep(facts: DistroFacts, key: string, title: string, packages: string[], timeoutSeconds: number, roles: Step["roles"] = ["controller"]): Step {
  return {
    key,
    title,
    roles,
    check: { body: packagesInstalled(facts, packages), secrets: [] },
    apply: { body: installPackages(facts, packages), secrets: [] },
    timeoutSeconds,
  };
}

/** Bash that prints "PID (program)" of the process holding the package manager's lock, nothing when it is free. */
function lockHolder(lock: PackageRecovery["lock"]): string {
  if (lock.style === "open-files") {
    const names = lock.files.map((file) => `-lname ${shellQuote(file)}`).join(" -o ");
    return String.raw`sp_package_lock_holder() {
  local fd pid
  fd=$(find /proc/[0-9]*/fd -maxdepth 1 \( ${names} \) -print -quit 2>/dev/null) || true
  [ -n "$fd" ] || return 0
  pid=${"$"}{fd#/proc/}; pid=${"$"}{pid%%/*}
  echo "$pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo gone))"
}`;
  }
  const file = shellQuote(lock.file);
  return String.raw`sp_package_lock_pid() { tr -dc 0-9 2>/dev/null < ${file} || true; }
sp_package_lock_holder() {
  local pid
  pid=$(sp_package_lock_pid)
  if [ -n "$pid" ] && [ -d "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then
    echo "$pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo gone))"
  fi
}`;
}

/** Bash that removes a lock left by a process that is gone (a pid file; an fcntl lock goes with its holder). */
function staleLockRemoval(lock: PackageRecovery["lock"]): string[] {
  if (lock.style === "open-files") return [];
  return [
    `  if [ -e ${shellQuote(lock.file)} ] && [ -z "$(sp_package_lock_holder)" ]; then`,
    `    sp_log "Recovering an interrupted package install: removing ${lock.file} (process $(sp_package_lock_pid) is gone)"`,
    `    rm -f ${shellQuote(lock.file)}`,
    "  fi",
  ];
}

/**
 * The library's sp_recover_packages [SECONDS]: waits (SECONDS, or the profile's time) while another
 * process holds the package manager's lock — never stopping it — then runs each repair the
 * package database needs, saying so in the step's log.
 */
export function packageRecoveryLibrary(recovery: PackageRecovery): string {
  const repairs = recovery.repairs.map(({ when, run }) =>
    [
      `  if ${when}; then`,
      `    sp_log ${shellQuote(`Recovering an interrupted package install: ${run}`)}`,
      `    ${run} || echo ${shellQuote(`Could not repair the interrupted package install: ${run} failed.`)} >&2`,
      "  fi",
    ].join("\n"),
  );
  return [
    "# The PID and name of whoever holds the package manager's lock (empty when it is free).",
    lockHolder(recovery.lock),
    "",
    "# sp_recover_packages [SECONDS]: repairs an install an earlier attempt left cut off, before the next.",
    "sp_recover_packages() {",
    "  # apt and dpkg ask no questions (yum ignores this).",
    "  local -x DEBIAN_FRONTEND=noninteractive",
    `  local wait=\${1:-${recovery.lockWaitSeconds}} holder said=""`,
    "  local deadline=$((SECONDS + wait))",
    '  while holder=$(sp_package_lock_holder) && [ -n "$holder" ]; do',
    "    if [ $SECONDS -ge $deadline ]; then",
    `      echo "The package manager's lock is still held by process $holder after $wait s: another install is running on this host." >&2`,
    "      return 1",
    "    fi",
    `    [ -n "$said" ] || sp_log "Waiting up to $wait s for process $holder to release the package manager's lock."`,
    "    said=1",
    "    sleep 1",
    "  done",
    ...staleLockRemoval(recovery.lock),
    ...repairs,
    "}",
  ].join("\n");
}
