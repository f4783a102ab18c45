import path from "node:path";
import type { SecretStore } from "../store/secretStore";
import { SecretBox } from "./secretBox";
import { createSecretKeyFile, readSecretKey, SECRET_KEY_FILE, SecretKeyError } from "./secretKeyFile";

export type OpenedSecrets = {
  box: SecretBox;
  keyFile: string;
  /** This start made the key file (first start, or the first since secrets are encrypted). */
  keyCreated: boolean;
  /** Secrets that were still stored in plain text and are now sealed. */
  sealedNow: number;
};

/**
 * The start-up step after the migrations: loads `<DATA_DIR>/secret.key` (made at first start),
 * checks that every sealed secret in the database opens with it, and seals the secrets an older
 * version stored in plain text. Idempotent: a sealed row is left alone.
 *
 * Refuses (SecretKeyError, one plain sentence) rather than lose secrets: a missing key file while
 * the database holds sealed secrets is never replaced by a new key, and a key that does not open
 * them stops the start.
 */
export async function openSecrets(store: SecretStore, where: { dataDir: string; databaseFile: string }): Promise<OpenedSecrets> {
  const { dataDir, databaseFile } = where;
  const keyFile = path.join(dataDir, SECRET_KEY_FILE);
  const rows = await store.all();
  const sealedRows = rows.filter((row) => SecretBox.isSealed(row.value));

  let key = readSecretKey(keyFile);
  let keyCreated = false;
  if (!key) {
    if (sealedRows.length > 0) {
      throw new SecretKeyError(
        `The database holds ${count(sealedRows.length, "encrypted secret")}, but their key file ${keyFile} is missing. ` +
          `Restore secret.key from your backup into ${dataDir} and start again. StackPilot does not make a new key, which could never read them.`,
      );
    }
    key = createSecretKeyFile(keyFile);
    keyCreated = true;
  }
  const box = new SecretBox(key);

  const unreadable = sealedRows.filter((row) => !box.opens(row.value, row));
  if (unreadable.length > 0) {
    const all = unreadable.length === sealedRows.length;
    throw new SecretKeyError(
      all
        ? `The key file ${keyFile} does not decrypt the ${count(sealedRows.length, "secret")} stored in ${databaseFile}: it is not the key they were encrypted with. Put the right secret.key back (from your backup) and start again; nothing was changed.`
        : `${unreadable.length} of the ${count(sealedRows.length, "encrypted secret")} in ${databaseFile} do not decrypt with ${keyFile}: the database was altered or damaged. Restore it from your backup; nothing was changed.`,
    );
  }

  const plain = rows.filter((row) => !SecretBox.isSealed(row.value));
  let sealedNow = 0;
  if (plain.length > 0) sealedNow = await store.replacePlainValues(plain.map((row) => ({ id: row.id, plain: row.value, sealed: box.seal(row.value, row) })));
  return { box, keyFile, keyCreated, sealedNow };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
