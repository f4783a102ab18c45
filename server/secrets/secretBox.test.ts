import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox, SecretBoxError } from "./secretBox";

const slot = { planId: "plan-1", key: "ssh.shared.password" };
const box = new SecretBox(randomBytes(32));
const hostile = `p'a"s$s \`x\\;&|<> ü密\n${"x".repeat(300)}`;

describe("SecretBox", () => {
  it("opens what it sealed, with a fresh IV every time and the version prefix", () => {
    const first = box.seal(hostile, slot);
    const second = box.seal(hostile, slot);
    expect(first).toMatch(/^sp1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("ü密");
    expect(SecretBox.isSealed(first)).toBe(true);
    expect(box.open(first, slot)).toBe(hostile);
    expect(box.open(second, slot)).toBe(hostile);
    expect(box.open(box.seal("", slot), slot)).toBe("");
  });

  it("refuses a sealed value whose ciphertext, tag or IV was altered", () => {
    const sealed = box.seal("KEYSTONE_DBPASS value", slot);
    const [version, iv, tag, ciphertext] = sealed.split(":");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] ^= 1;
      return bytes.toString("base64url");
    };
    for (const altered of [
      [version, iv, tag, flip(ciphertext)],
      [version, iv, flip(tag), ciphertext],
      [version, flip(iv), tag, ciphertext],
      [version, iv, tag, ciphertext.slice(0, -2)],
    ]) {
      expect(() => box.open(altered.join(":"), slot)).toThrow(SecretBoxError);
    }
  });

  it("refuses a value moved to another row: other plan or other secret name (additional data)", () => {
    const sealed = box.seal("the controller's root password", slot);
    expect(() => box.open(sealed, { ...slot, planId: "plan-2" })).toThrow(SecretBoxError);
    expect(() => box.open(sealed, { ...slot, key: "service.ADMIN_PASS" })).toThrow(/does not decrypt/);
    // The pair is encoded unambiguously: shifting characters between plan id and key does not match.
    const shifted = box.seal("x", { planId: "a.b", key: "c" });
    expect(() => box.open(shifted, { planId: "a", key: "b.c" })).toThrow(SecretBoxError);
  });

  it("refuses with another key, and a plain value (never returns it as if it were sealed)", () => {
    const sealed = box.seal("secret", slot);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, slot)).toThrow(SecretBoxError);
    expect(() => box.open("plain text password", slot)).toThrow(/not in the encrypted form/);
    expect(SecretBox.isSealed("plain text password")).toBe(false);
    expect(box.opens(sealed, slot)).toBe(true);
    expect(box.opens(sealed, { ...slot, planId: "x" })).toBe(false);
  });

  it("takes 32-byte keys only", () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });
});
