import { describe, expect, it } from "vitest";
import { FREE_ATTEMPTS, LoginThrottle, MAX_WAIT_MS, throttleKeys } from "./loginThrottle";

function throttleAt(start = 1_000_000) {
  let now = start;
  const throttle = new LoginThrottle(() => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe("LoginThrottle", () => {
  const keys = throttleKeys("Admin", "127.0.0.1");

  it("lets the first few mistakes through, then doubles the wait after each", () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      expect(throttle.waitMs(keys)).toBe(0);
      throttle.recordFailure(keys);
    }
    expect(throttle.waitMs(keys)).toBe(0);
    throttle.recordFailure(keys);
    expect(throttle.waitMs(keys)).toBe(1000);
    throttle.recordFailure(keys);
    expect(throttle.waitMs(keys)).toBe(2000);
    throttle.recordFailure(keys);
    expect(throttle.waitMs(keys)).toBe(4000);
  });

  it("never makes anyone wait longer than the cap, and the wait runs out", () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < 30; i++) throttle.recordFailure(keys);
    expect(throttle.waitMs(keys)).toBe(MAX_WAIT_MS);
    advance(MAX_WAIT_MS);
    expect(throttle.waitMs(keys)).toBe(0);
  });

  it("counts per user name and per address, so another address does not unlock a user", () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) throttle.recordFailure(throttleKeys("admin", "10.0.0.1"));
    expect(throttle.waitMs(throttleKeys("ADMIN ", "10.0.0.2"))).toBe(1000);
    expect(throttle.waitMs(throttleKeys("someone", "10.0.0.1"))).toBe(1000);
    expect(throttle.waitMs(throttleKeys("someone", "10.0.0.2"))).toBe(0);
  });

  it("forgets after a success or a quiet quarter of an hour", () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < FREE_ATTEMPTS + 2; i++) throttle.recordFailure(keys);
    throttle.recordSuccess(keys);
    expect(throttle.waitMs(keys)).toBe(0);
    for (let i = 0; i < FREE_ATTEMPTS + 2; i++) throttle.recordFailure(keys);
    advance(16 * 60_000);
    throttle.recordFailure(keys);
    expect(throttle.waitMs(keys)).toBe(0);
  });
});
