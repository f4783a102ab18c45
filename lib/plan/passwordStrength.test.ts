import { describe, expect, it } from "vitest";
import { generatePassword, weakPasswordWarning } from "./passwordStrength";

describe("weakPasswordWarning", () => {
  it("flags the tutorial's placeholders, short and one-class passwords", () => {
    expect(weakPasswordWarning("RABBIT_PASS")).toMatch(/placeholders/);
    expect(weakPasswordWarning("Ab1!")).toMatch(/Only 4 characters/);
    expect(weakPasswordWarning("abcdefghijklmnop")).toMatch(/Mix/);
    expect(weakPasswordWarning("correct-Horse-battery-7")).toBeNull();
    expect(weakPasswordWarning("")).toBeNull();
  });
});

describe("generatePassword", () => {
  it("gives 24 characters that pass the strength check, different every time", () => {
    const a = generatePassword();
    expect(a).toHaveLength(24);
    expect(generatePassword()).not.toBe(a);
    const passing = Array.from({ length: 50 }, generatePassword).filter((p) => weakPasswordWarning(p) === null).length;
    expect(passing).toBeGreaterThan(45);
  });
});
