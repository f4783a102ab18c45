import type { PrismaClient } from "../db/client";

export type StoredSecret = { id: string; planId: string; key: string; value: string };

/**
 * The secrets of every plan at once, as stored, for the start-up check (secrets/openSecrets.ts):
 * does the key open them, and are any still in plain text? A plan's own secrets are read and
 * written by PlanStore.
 */
export class SecretStore {
  constructor(private readonly db: PrismaClient) {}

  async all(): Promise<StoredSecret[]> {
    return this.db.secret.findMany({ select: { id: true, planId: true, key: true, value: true } });
  }

  /**
   * Puts each secret's sealed form in place of its plain value, if the row still holds the value
   * read; answers how many rows changed. The plain values are then gone from the files.
   */
  async replacePlainValues(rows: { id: string; plain: string; sealed: string }[]): Promise<number> {
    // Raw updates keep updatedAt (when the secret was set, which runs compare).
    const counts = await this.db.$transaction(rows.map((row) => this.db.$executeRaw`UPDATE "Secret" SET "value" = ${row.sealed} WHERE "id" = ${row.id} AND "value" = ${row.plain}`));
    // The plain values may still sit in the write-ahead log: fold it into the database (whose
    // freed space secure_delete zeroes) and empty it.
    await this.db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
