import { describe, expect, it } from "vitest";
import { generatePassword, withRootHash } from "./password";

describe("generatePassword", () => {
  it("has the length asked for and every character class", () => {
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword(20);
      expect(pw).toHaveLength(20);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw).toMatch(/[-_.,:+=%@#]/);
      expect(pw).not.toMatch(/[\s'"`$\\!]/);
    }
  });

  it("differs between calls", () => {
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20);
  });
});

describe("withRootHash", () => {
  it("replaces only root's hash", () => {
    const shadow = "root:*:19800:0:99999:7:::\ndaemon:*:19800:0:99999:7:::\n";
    expect(withRootHash(shadow, "$6$salt$hash")).toBe("root:$6$salt$hash:19800:0:99999:7:::\ndaemon:*:19800:0:99999:7:::\n");
  });

  it("fails without a root entry", () => {
    expect(() => withRootHash("daemon:*:1::::::\n", "x")).toThrow(/no root entry/);
  });
});
