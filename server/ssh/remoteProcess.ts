import { createHash, randomBytes } from "node:crypto";

/**
 * The remote side of cancelling a command: the shell text that runs a script in a process group of
 * its own and records that group in a file named by a tag, and the text that stops such a group.
 *
 * Both are short, fixed bash programs given to `bash --norc -c` on the SSH command line; they never
 * contain anything of the script (the script travels on stdin). The stopper takes the tag and a
 * random nonce as arguments; the wrapper reads them from the first line of its stdin, so it can be
 * started before the step it will run is known (a spare channel, see sshSession.ts).
 * `--norc`: bash started with -c under sshd would otherwise read ~/.bashrc (Debian's bash is built
 * with SSH_SOURCE_BASHRC), adding its output and time; `bash -s`, as before, reads no rc file itself.
 *
 * The wrapper (run as `bash --norc -c WRAPPER stackpilot`, stdin `TAG NONCE\n` then the script):
 * - picks a private directory: /run/stackpilot when it can be made and owned by the user, else
 *   /tmp/stackpilot-$EUID (mode 0700, not a symlink, owned by the user);
 * - makes sure it is the leader of a process group of its own: sshd already starts a no-pty command
 *   with setsid(), and when a login shell forked it instead, it re-runs itself under `setsid` (it is
 *   then no group leader, so setsid(1) does not fork and keeps its PID — no `setsid --wait` needed);
 * - clears records of groups that no longer exist (in batches); all this before its stdin says
 *   anything, so a spare wrapper has done it before its step starts;
 * - reads `TAG NONCE` (an empty stdin: it exits 0, a spare closed unused), then writes
 *   `PGID BOOT_ID START_TIME NONCE` to DIR/TAG.pgid; it starts no other program on the way (a fork
 *   costs ~15 ms on a slow host); then prints the start mark (byte 0x06) on stdout;
 * - `exec bash --norc -c 'eval "$(</dev/stdin)"' bash` (`exec bash -s` when stdin is not a pipe): the
 *   script's bash keeps the wrapper's PID, so it leads the group, reads the whole script from the
 *   channel's stdin at once (bash -s would read a pipe byte by byte) and runs it as `bash -s` would
 *   ($0 bash, no arguments; commands that read stdin find its end, not the rest of the script), and its
 *   exit code or signal reaches sshd unchanged. Every process it starts stays in the group unless it
 *   leaves it on purpose (systemd services are not in it).
 *
 * The stopper (`bash --norc -c STOPPER stackpilot TAG NONCE WAIT_TENTHS GRACE_TENTHS`) reads the record,
 * ignores it unless it is from this boot and its group still has a live (non-zombie) process whose
 * leader, if still there, started at the recorded time; then sends TERM (and CONT) to the group,
 * waits up to the grace period, sends KILL, waits again, and prints one word: `stopped` (a group was
 * running and is gone), `none` (nothing was running) or `alive` (something survived KILL).
 */

/** A tag as it may appear in a file name on the host. */
export function remoteTag(tag: string): string {
  if (/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}$/.test(tag)) return tag;
  return `h-${createHash("sha256").update(tag).digest("hex").slice(0, 40)}`;
}

/** A tag for a command that has none of its own. */
export function randomTag(): string {
  return `r-${randomBytes(12).toString("hex")}`;
}

export function randomNonce(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Shared shell functions. One statement per line; lines are joined with "; " so the program is one
 * line without single quotes or "!", which survives any login shell's `-c` (bash, sh, even csh).
 */
const PRELUDE = [
  // A private directory: made here if missing, not a symlink, owned and writable by this user.
  // Two commands may start at once on one host: losing the mkdir race to the other is fine.
  `priv() { [ -L "$1" ] && return 1; [ -d "$1" ] || mkdir -m 700 "$1" 2>/dev/null || [ -d "$1" ] || return 1; [ -L "$1" ] && return 1; [ -O "$1" ] && [ -w "$1" ] && [ -x "$1" ]; }`,
  `if priv /run/stackpilot; then d=/run/stackpilot; elif priv "/tmp/stackpilot-$EUID"; then d="/tmp/stackpilot-$EUID"; else echo "stackpilot: no private directory to track the command in (/run/stackpilot, /tmp/stackpilot-$EUID)" >&2; exit 125; fi`,
  `boot=; read -r boot 2>/dev/null < /proc/sys/kernel/random/boot_id`,
  // Reads /proc/PID/stat into s_state, s_pgrp and s_start (fields 3, 5 and 22; the name may hold spaces).
  `st() { local l; l=; read -r l 2>/dev/null < "/proc/$1/stat" || return 1; l=\${l##*) }; set -- $l; s_state=$1; s_pgrp=$3; s_start=\${20}; [ -n "$s_start" ]; }`,
  // True while the group has a process that is not a zombie (zombies are not reaped everywhere at once).
  `alive() { kill -0 -- "-$1" 2>/dev/null || return 1; if st "$1" && [ "$s_pgrp" = "$1" ]; then case $s_state in Z|X) ;; *) return 0;; esac; fi; local p; for p in /proc/[0-9]*; do st "\${p#/proc/}" || continue; [ "$s_pgrp" = "$1" ] || continue; case $s_state in Z|X) ;; *) return 0;; esac; done; return 1; }`,
  // True when the record PGID BOOT START is a group of ours that is still running.
  `valid() { case $1 in ""|*[^0-9]*) return 1;; esac; [ "$1" -gt 1 ] || return 1; [ "$2" = "$boot" ] || return 1; alive "$1" || return 1; if st "$1"; then [ "$s_start" = "$3" ] || return 1; fi; return 0; }`,
];

const WRAPPER = [
  ...PRELUDE,
  `st $$ || { echo "stackpilot: cannot read /proc/$$/stat" >&2; exit 125; }`,
  `if [ "$s_pgrp" = "$$" ]; then :; elif command -v setsid >/dev/null 2>&1; then exec setsid bash --norc -c "$BASH_EXECUTION_STRING" stackpilot; fi`,
  // Without setsid(1) (never seen with sshd, which starts the command as a session leader): the group it is in.
  `g=$s_pgrp; gs=$s_start; [ "$g" = "$$" ] || { gs=-; st "$g" && gs=$s_start; }`,
  // Records of groups that are gone pile up (one per command): removed a batch at a time, one fork for many.
  `old=(); for f in "$d"/*.pgid; do [ -f "$f" ] || continue; r1=; r2=; r3=; read -r r1 r2 r3 _ < "$f"; case $r1 in ""|*[^0-9]*) continue;; esac; valid "$r1" "$r2" "$r3" || old+=("$f"); done; [ \${#old[@]} -lt 32 ] || rm -f -- "\${old[@]}"`,
  // The step's tag and nonce (read a byte at a time: the rest of stdin is the script, untouched).
  `t=; n=; IFS=" " read -r t n || exit 0`,
  `case $t in ""|*[^A-Za-z0-9_.-]*) echo "stackpilot: bad tag" >&2; exit 125;; esac; case $n in ""|*[^A-Za-z0-9]*) echo "stackpilot: bad nonce" >&2; exit 125;; esac`,
  // One write(2) of a short line: a reader sees the whole record or an empty file, which it leaves alone.
  `printf "%s %s %s %s\\n" "$g" "$boot" "$gs" "$n" > "$d/$t.pgid" || { echo "stackpilot: cannot write $d/$t.pgid" >&2; exit 125; }`,
  // The start mark (SCRIPT_STARTED): from here on, stdin is the script and it runs.
  `printf "\\006"`,
  // bash -s reads a pipe one byte at a time (a read(2) per byte of the ~9 KB runner script: ~10-30 ms
  // of CPU per command); $(</dev/stdin) reads it in a few calls, in a subshell that runs no program.
  `if [ -p /dev/stdin ]; then exec bash --norc -c "eval \\"\\$(</dev/stdin)\\"" bash; fi`,
  `exec bash -s`,
].join("; ");

const STOPPER = [
  `t=$1; n=$2; w=$3; grace=$4`,
  ...PRELUDE,
  `f="$d/$t.pgid"; g=; b=; s=; rn=`,
  // Cancelling right after the start: wait a little for the wrapper of this very run (its nonce) to record it.
  `i=0; while [ $i -lt $w ]; do if [ -f "$f" ]; then read -r g b s rn < "$f"; [ "$rn" = "$n" ] && break; fi; sleep 0.1; i=$((i+1)); done`,
  `[ -f "$f" ] || { echo none; exit 0; }`,
  `read -r g b s rn < "$f"`,
  // Nothing running: the record stays for the next wrapper to overwrite or clear (saves a fork).
  `valid "$g" "$b" "$s" || { echo none; exit 0; }`,
  `kill -TERM -- "-$g" 2>/dev/null; kill -CONT -- "-$g" 2>/dev/null`,
  `i=0; while alive "$g" && [ $i -lt $grace ]; do sleep 0.1; i=$((i+1)); done`,
  `if alive "$g"; then kill -KILL -- "-$g" 2>/dev/null; i=0; while alive "$g" && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; fi`,
  `if alive "$g"; then echo alive; exit 0; fi`,
  `rm -f -- "$f"; echo stopped`,
].join("; ");

/**
 * The byte the wrapper prints on stdout once the group is recorded, just before the script runs
 * (taken out of the output): a channel that closes without it never ran the script.
 */
export const SCRIPT_STARTED = 0x06;

/**
 * The SSH command that runs a script in a process group of its own; its stdin must start with
 * wrapperHeader(tag, nonce), then the script.
 */
export function wrapperCommand(): string {
  return `bash --norc -c '${WRAPPER}' stackpilot`;
}

/** The first line of the wrapper's stdin: the tag its group is recorded under, and the run's nonce. */
export function wrapperHeader(tag: string, nonce: string): string {
  return `${checkedWord(tag)} ${checkedWord(nonce)}\n`;
}

export type StopOutcome = "stopped" | "none" | "alive";

/**
 * The SSH command that stops the group recorded under `tag`. With `waitForNonce`, it first waits up to
 * `waitMs` for the record of that very run (a cancel that came right after the start).
 */
export function stopCommand(tag: string, options: { nonce?: string; waitMs?: number; graceMs: number }): string {
  const tenths = (ms: number) => Math.max(0, Math.round(ms / 100));
  return `bash --norc -c '${STOPPER}' stackpilot ${checkedWord(tag)} ${checkedWord(options.nonce ?? "-")} ${tenths(options.waitMs ?? 0)} ${tenths(options.graceMs)}`;
}

/** What the stopper printed (its last word); anything else means it did not run to its end. */
export function parseStopOutput(stdout: string): StopOutcome | undefined {
  const last = stdout.trim().split(/\s+/).pop();
  return last === "stopped" || last === "none" || last === "alive" ? last : undefined;
}

function checkedWord(word: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(word)) throw new Error(`Not a safe shell word: ${JSON.stringify(word)}`);
  return word;
}

/** For tests: the two programs, to check that they hold nothing a login shell could misread. */
export const remotePrograms = { wrapper: WRAPPER, stopper: STOPPER };
