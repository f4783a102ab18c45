/**
 * How many SSH handshakes this process runs at once. A handshake is CPU work on both ends (key
 * exchange, the host's password hash): started all together for 101 hosts they share the CPU, each
 * takes seconds, and a loaded wizard machine makes them miss the ready timeout together. In turns,
 * each is over in a fraction of a second and the timeout measures the host, not the queue: it only
 * starts once a handshake has its slot. Measured on loopback with 101 sshd instances: all at once
 * 4.5 s (median handshake 3.7 s), 16 at a time 3.5 s (median 0.5 s).
 */
export class HandshakeSlots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves with the function that gives the slot back (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.inUse >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inUse++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: inUse stays as it is.
      if (next) next();
      else this.inUse--;
    };
  }

  get active(): number {
    return this.inUse;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

export const HANDSHAKE_CONCURRENCY = 16;

/** The process's slots, shared by every connection (host checks and deployments alike). */
export const handshakeSlots = new HandshakeSlots(HANDSHAKE_CONCURRENCY);
