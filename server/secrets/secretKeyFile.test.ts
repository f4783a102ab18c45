import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSecretKeyFile, readSecretKey, SecretKeyError } from "./secretKeyFile";

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sp-secret-key-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("the secret key file", () => {
  it("is created with 32 random bytes, mode 0600, whatever the umask, and read back", () => {
    const file = path.join(scratch(), "secret.key");
    const previous = process.umask(0o000);
    let key: Buffer;
    try {
      key = createSecretKeyFile(file);
    } finally {
      process.umask(previous);
    }
    expect(key.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readSecretKey(file)).toEqual(key);
  });

  it("is never overwritten: a second create reads the existing key", () => {
    const file = path.join(scratch(), "secret.key");
    const first = createSecretKeyFile(file);
    expect(createSecretKeyFile(file)).toEqual(first);
  });

  it("is null when missing", () => {
    expect(readSecretKey(path.join(scratch(), "secret.key"))).toBeNull();
  });

  it("is refused with a plain sentence when others may read it, it has the wrong size, or it is not a file", () => {
    const dir = scratch();
    const file = path.join(dir, "secret.key");
    createSecretKeyFile(file);
    chmodSync(file, 0o644);
    expect(() => readSecretKey(file)).toThrow(SecretKeyError);
    expect(() => readSecretKey(file)).toThrow(`mode 0644`);
    expect(() => readSecretKey(file)).toThrow(`chmod 600 ${file}`);

    const short = path.join(dir, "short.key");
    writeFileSync(short, "not a key\n", { mode: 0o600 });
    expect(() => readSecretKey(short)).toThrow(/holds 10 bytes, not 32/);

    const folder = path.join(dir, "folder.key");
    mkdirSync(folder, { mode: 0o700 });
    expect(() => readSecretKey(folder)).toThrow(/not a regular file/);
    const link = path.join(dir, "link.key");
    symlinkSync(short, link);
    expect(() => readSecretKey(link)).toThrow(/not a regular file/);
  });
});
