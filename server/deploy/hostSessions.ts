import type { HostAccess } from "../ssh/hostAccess";
import type { SshSession, SshSessionOptions } from "../ssh/sshSession";

/**
 * One SSH connection per host for a whole run, opened on first use and reused for every step
 * (new channels, not new connections). A connection that dropped is opened again on next use.
 * Every connection checks the host's pinned key, or pins it on first use (see ssh/hostKeyPins.ts).
 */
export class HostSessions {
  private readonly sessions = new Map<string, Promise<SshSession>>();

  constructor(
    private readonly access: HostAccess,
    private readonly options: SshSessionOptions,
  ) {}

  get(hostId: string): Promise<SshSession> {
    const existing = this.sessions.get(hostId);
    if (existing) return existing.then((session) => (session.isUsable() ? session : this.open(hostId)));
    return this.open(hostId);
  }

  closeAll(): void {
    for (const pending of this.sessions.values()) pending.then((s) => s.close(), () => undefined);
    this.sessions.clear();
  }

  private open(hostId: string): Promise<SshSession> {
    const target = this.access.targets.get(hostId);
    if (!target) return Promise.reject(new Error(`No credentials for host ${hostId}.`));
    // A run sends a host one command after another: each finds a wrapper already waiting.
    const session = this.access.hostKeys.connect(hostId, target, { ...this.options, spareChannel: true });
    this.sessions.set(hostId, session);
    // A failed connect is not cached: the next step tries again.
    session.catch(() => this.sessions.delete(hostId));
    return session;
  }
}
