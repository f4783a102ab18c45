import type { PrismaClient } from "../db/client";

export type StoredUser = { id: string; username: string; passwordHash: string };

/** The wizard's accounts (one admin today), by lower-cased user name. Password hashes only. */
export class UserStore {
  constructor(private readonly db: PrismaClient) {}

  async count(): Promise<number> {
    return this.db.user.count();
  }

  async create(username: string, passwordHash: string): Promise<StoredUser> {
    return this.db.user.create({ data: { username, passwordHash }, select: { id: true, username: true, passwordHash: true } });
  }

  async findByUsername(username: string): Promise<StoredUser | null> {
    return this.db.user.findUnique({ where: { username }, select: { id: true, username: true, passwordHash: true } });
  }
}
