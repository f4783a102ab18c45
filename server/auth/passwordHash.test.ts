import { describe, expect, it } from "vitest";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./passwordHash";

describe("passwordHash", () => {
  it("stores scrypt with its parameters and a fresh salt, never the password", async () => {
    const password = `p'a"s$ \`ü密`;
    const a = await hashPassword(password);
    const b = await hashPassword(password);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain(password);
    expect(a).not.toBe(b);
  });

  it("accepts the password and refuses anything else", async () => {
    const stored = await hashPassword("correct horse");
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horse ", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(await verifyPassword("correct horse", "plain-text")).toBe(false);
  });

  it("is slow enough to make guessing expensive", async () => {
    const stored = await hashPassword("x");
    const started = performance.now();
    await verifyPassword("y", stored);
    expect(performance.now() - started).toBeGreaterThan(20);
    expect(await verifyAgainstDecoy("x")).toBe(false);
  });
});
