import { HostKeyChangedError } from "./sshErrors";
import { SshSession, type SshSessionOptions } from "./sshSession";
import type { SshTarget } from "./sshTarget";

/** Where a plan's pins are kept (the plan's hosts, see store/planStore.ts). */
export interface HostKeyPinStore {
  /**
   * Pins `fingerprint` for the host unless a key is pinned already; answers the pin in force
   * (null when the host is no longer in the plan).
   */
  pinHostKey(planId: string, hostId: string, fingerprint: string): Promise<string | null>;
}

/** A host as far as its pin goes. */
export type PinnedHost = { id: string; name: string; hostKeyFingerprint: string | null };

/**
 * Trust on first use, for one job over one plan's hosts: a host with a pinned key must show that
 * key (checked in the key exchange, before authenticating); a host without one is pinned to the
 * key of its first successful connection. Knows the pins it made, so a reconnect later in the same
 * run is checked as well.
 */
export class HostKeyPins {
  private readonly hosts: Map<string, PinnedHost>;

  constructor(
    private readonly store: HostKeyPinStore,
    private readonly planId: string,
    hosts: PinnedHost[],
  ) {
    this.hosts = new Map(hosts.map((h) => [h.id, { id: h.id, name: h.name.trim(), hostKeyFingerprint: h.hostKeyFingerprint }]));
  }

  /** A plan's pins as its hosts hold them now (when a run or a host check starts). */
  static forPlan(store: HostKeyPinStore, plan: { id: string; hosts: { id: string; name: string; hostKeyFingerprint?: string | null }[] }): HostKeyPins {
    return new HostKeyPins(store, plan.id, plan.hosts.map((h) => ({ id: h.id, name: h.name, hostKeyFingerprint: h.hostKeyFingerprint ?? null })));
  }

  /** The pinned fingerprint of a host, if any. */
  pinned(hostId: string): string | null {
    return this.hosts.get(hostId)?.hostKeyFingerprint ?? null;
  }

  /** Connects to a host of the plan, checking or pinning its key. Rejects with HostKeyChangedError for another key. */
  async connect(hostId: string, target: SshTarget, options: SshSessionOptions): Promise<SshSession> {
    const host = this.hosts.get(hostId) ?? { id: hostId, name: target.host, hostKeyFingerprint: null };
    const pinned = host.hostKeyFingerprint;
    const session = await SshSession.connect(target, options, pinned ? { hostName: host.name, fingerprint: pinned } : undefined);
    if (pinned) return session;
    let inForce: string | null;
    try {
      inForce = await this.store.pinHostKey(this.planId, hostId, session.hostKeyFingerprint);
    } catch (error) {
      session.close();
      throw error;
    }
    // Pinned by another job meanwhile, to another key: this connection is not to be trusted.
    if (inForce !== null && inForce !== session.hostKeyFingerprint) {
      session.close();
      this.hosts.set(hostId, { ...host, hostKeyFingerprint: inForce });
      throw new HostKeyChangedError(host.name, inForce, session.hostKeyFingerprint);
    }
    if (inForce !== null) this.hosts.set(hostId, { ...host, hostKeyFingerprint: inForce });
    return session;
  }
}
