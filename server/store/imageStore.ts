import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DEFAULT_LOGIN_USER, DISK_FORMAT_PROBE_BYTES, diskFormatOf, formatBytes, MAX_IMAGE_BYTES, type PlanImageView } from "@/lib/plan/planImage";
import type { PrismaClient } from "../db/client";
import type { PlanImage } from "../generated/prisma/client";

/** An upload the store does not take, with the HTTP status that says why. */
export class ImageRefused extends Error {
  override readonly name = "ImageRefused";
  constructor(
    message: string,
    readonly status: 400 | 404 | 413,
  ) {
    super(message);
  }
}

/** Where a plan's image is on this server, for a run that sends it to a host. */
export type StoredImageFile = { path: string; bytes: number; sha256: string };

/** File names keep what a person can read; no path, no control character, bounded. */
function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const clean = [...base].filter((c) => c >= " " && c !== "\u007f").join("").trim().slice(0, 255);
  return clean || "image";
}

/**
 * The VM image uploaded for each plan: the file under `<data dir>/images/<plan id>/<sha256>`, what
 * describes it (name, size, digest, format, login user) in the database. Never the file's bytes
 * in SQLite. A file is named by its digest, so the row always names a file that matches it, even
 * when two uploads of the same plan race.
 */
export class ImageStore {
  private readonly root: string;

  constructor(
    private readonly db: PrismaClient,
    dataDir: string,
    /** The largest file taken (tests use a small one). */
    private readonly maxBytes = MAX_IMAGE_BYTES,
  ) {
    this.root = path.join(dataDir, "images");
  }

  async get(planId: string): Promise<PlanImageView | null> {
    const row = await this.db.planImage.findUnique({ where: { planId } });
    return row ? imageView(row) : null;
  }

  /** The file of a plan's image, or null when none is uploaded. */
  async file(planId: string): Promise<StoredImageFile | null> {
    const image = await this.get(planId);
    return image ? { path: this.fileFor(planId, image.sha256), bytes: image.bytes, sha256: image.sha256 } : null;
  }

  /**
   * Streams an upload to disk (never whole in memory), hashing and sizing it on the way, and
   * replaces the plan's image with it. More than the limit (2 GiB) is refused as soon as it is seen.
   * The login user of an image uploaded before stays.
   */
  async receive(planId: string, fileName: string, body: Readable, declaredBytes?: number): Promise<PlanImageView> {
    const { maxBytes } = this;
    if (declaredBytes !== undefined && declaredBytes > maxBytes) throw tooLarge(maxBytes);
    if (!(await this.db.plan.findUnique({ where: { id: planId }, select: { id: true } }))) throw new ImageRefused("Plan not found.", 404);
    const dir = this.planDir(planId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const partial = path.join(dir, `.upload-${randomUUID()}`);
    const hash = createHash("sha256");
    let bytes = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(tooLarge(maxBytes));
        if (headBytes < DISK_FORMAT_PROBE_BYTES) {
          head.push(chunk.subarray(0, DISK_FORMAT_PROBE_BYTES - headBytes));
          headBytes += head.at(-1)!.length;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, measure, createWriteStream(partial, { mode: 0o600 }));
      if (bytes === 0) throw new ImageRefused("The file is empty.", 400);
      const sha256 = hash.digest("hex");
      await rename(partial, this.fileFor(planId, sha256));
      const described = { fileName: cleanFileName(fileName), bytes: BigInt(bytes), sha256, diskFormat: diskFormatOf(Buffer.concat(head)), uploadedAt: new Date() };
      const row = await this.db.planImage.upsert({ where: { planId }, create: { planId, ...described, loginUser: DEFAULT_LOGIN_USER }, update: described });
      await this.removeFilesExcept(planId, sha256);
      return imageView(row);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** Null when the plan has no image. */
  async setLoginUser(planId: string, loginUser: string): Promise<PlanImageView | null> {
    const { count } = await this.db.planImage.updateMany({ where: { planId }, data: { loginUser } });
    return count === 0 ? null : this.get(planId);
  }

  /** Forgets the plan's image and deletes its file; false when there was none. */
  async remove(planId: string): Promise<boolean> {
    const { count } = await this.db.planImage.deleteMany({ where: { planId } });
    await rm(this.planDir(planId), { recursive: true, force: true });
    return count > 0;
  }

  /** Files an upload left behind: an earlier image, or an upload cut off (another may be under way: not those). */
  private async removeFilesExcept(planId: string, sha256: string) {
    const entries = await readdir(this.planDir(planId)).catch(() => []);
    await Promise.all(entries.filter((name) => name !== sha256 && !name.startsWith(".upload-")).map((name) => rm(path.join(this.planDir(planId), name), { force: true })));
  }

  private planDir(planId: string): string {
    // Plan ids are the server's own UUIDs; anything else never becomes a path.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(planId)) throw new ImageRefused("Plan not found.", 404);
    return path.join(this.root, planId);
  }

  private fileFor(planId: string, sha256: string): string {
    return path.join(this.planDir(planId), sha256);
  }
}

function tooLarge(maxBytes: number): ImageRefused {
  return new ImageRefused(`The image is larger than ${formatBytes(maxBytes)}, the most StackPilot takes.`, 413);
}

/** What the plan view and the API say of a stored image. */
export function imageView(row: PlanImage): PlanImageView {
  return {
    fileName: row.fileName,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    diskFormat: row.diskFormat,
    loginUser: row.loginUser,
    uploadedAt: row.uploadedAt.toISOString(),
  };
}
