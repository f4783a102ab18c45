import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from "node:crypto";

/**
 * Where a sealed value belongs: its plan and the secret's name. Both are bound into the ciphertext
 * as additional authenticated data, so a value copied into another row (another plan, or another
 * secret of the same plan) does not open.
 */
export type SecretSlot = { planId: string; key: string };

/** A value that cannot be sealed or opened: wrong key, altered bytes, or another row's value. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** The bytes of the key (AES-256). */
export const SECRET_KEY_BYTES = 32;
const VERSION = "sp1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** "sp1:" + IV, auth tag and ciphertext in base64url (no padding): 12 bytes are 16 characters, 16 are 22. */
const SEALED = /^sp1:([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

/**
 * Seals secret values for the database with AES-256-GCM: a random 12-byte IV per value, the
 * 16-byte authentication tag, a version prefix, and the value's plan and name as additional
 * authenticated data. Stored as `sp1:<iv>:<tag>:<ciphertext>`.
 */
export class SecretBox {
  private readonly key: KeyObject;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new SecretBoxError(`A secret key has ${SECRET_KEY_BYTES} bytes, not ${key.length}.`);
    this.key = createSecretKey(Buffer.from(key));
  }

  /** Whether a stored value has the sealed form (it may still fail to open). */
  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  seal(value: string, slot: SecretSlot): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(slot));
    const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${VERSION}:${iv.toString("base64url")}:${tag.toString("base64url")}:${ciphertext.toString("base64url")}`;
  }

  /** The value sealed for this slot; throws SecretBoxError for anything else. */
  open(sealed: string, slot: SecretSlot): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new SecretBoxError(`The stored secret "${slot.key}" is not in the encrypted form.`);
    const [, iv, tag, ciphertext] = match;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(slot));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(`The stored secret "${slot.key}" does not decrypt with this key: the key is not the one it was encrypted with, or the stored value was altered.`);
    }
  }

  /** Whether a sealed value opens for this slot. */
  opens(sealed: string, slot: SecretSlot): boolean {
    try {
      this.open(sealed, slot);
      return true;
    } catch {
      return false;
    }
  }
}

/** Unambiguous: a JSON array, so no plan id and key can be shifted into another pair. */
function additionalData(slot: SecretSlot): Buffer {
  return Buffer.from(JSON.stringify([VERSION, slot.planId, slot.key]), "utf8");
}
