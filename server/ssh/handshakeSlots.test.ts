import { describe, expect, it } from "vitest";
import { HandshakeSlots } from "./handshakeSlots";

describe("HandshakeSlots", () => {
  it("lets `limit` handshakes run and queues the rest in order", async () => {
    const slots = new HandshakeSlots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect([slots.active, slots.queued]).toEqual([2, 2]);
    first();
    const releaseThird = await third;
    expect(order).toEqual(["third"]);
    expect([slots.active, slots.queued]).toEqual([2, 1]);
    second();
    (await fourth)();
    releaseThird();
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it("ignores a second release of the same slot", async () => {
    const slots = new HandshakeSlots(1);
    const release = await slots.acquire();
    release();
    release();
    expect(slots.active).toBe(0);
    await slots.acquire();
    expect(slots.active).toBe(1);
  });
});
