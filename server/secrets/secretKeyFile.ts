import { closeSync, constants, fsyncSync, lstatSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { SECRET_KEY_BYTES } from "./secretBox";

/** The key file's name in DATA_DIR, next to the database. */
export const SECRET_KEY_FILE = "secret.key";

/** A key file StackPilot will not use, with what to do about it; said at start instead of a stack trace. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/**
 * The key in `file`: exactly 32 bytes, a regular file that only its owner may read or write.
 * Null when there is no such file.
 */
export function readSecretKey(file: string): Buffer | null {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new SecretKeyError(`Cannot read the secret key ${file}: ${(error as Error).message}`);
  }
  if (!stat.isFile()) throw new SecretKeyError(`The secret key ${file} is not a regular file. Put the key file back there (or a copy of it, not a link).`);
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
    throw new SecretKeyError(`The secret key ${file} is open to other users (mode ${mode}); it must be readable by its owner only. Run: chmod 600 ${file}`);
  }
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (error) {
    throw new SecretKeyError(`Cannot read the secret key ${file}: ${(error as Error).message}`);
  }
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyError(`The secret key ${file} holds ${key.length} bytes, not ${SECRET_KEY_BYTES}: it is damaged or not a StackPilot key. Restore it from your backup.`);
  }
  return key;
}

/**
 * Writes a new random key to `file` with mode 0600 (never over an existing file: if one appeared
 * meanwhile, that one is read). Flushed to disk with its directory entry before it is used.
 */
export function createSecretKeyFile(file: string): Buffer {
  const key = randomBytes(SECRET_KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const existing = readSecretKey(file);
      if (existing) return existing;
    }
    throw new SecretKeyError(`Cannot create the secret key ${file}: ${(error as Error).message}`);
  }
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(path.dirname(file));
  return key;
}

function syncDirectory(dir: string) {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the key file itself is on disk.
  }
}
