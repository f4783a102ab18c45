import { z } from "zod";
import type { UploadedImage } from "../playbook/playbookInput";

/**
 * The VM image a user uploads for a plan: what the server keeps of it (the file stays on the
 * server's disk, see server/store/imageStore.ts), the upload's limit, and the format read from the
 * file's first bytes.
 */

/** What the plan view says of an uploaded image; the playbook gets all of it but the date. */
export type PlanImageView = UploadedImage & { uploadedAt: string };

/** Larger images are refused before they fill the server's disk: the tutorial's cirros is 13 MB. */
export const MAX_IMAGE_BYTES = 2 * 1024 ** 3;

/** The upload's header that names the file, URI-encoded (the body is the file itself, not a form). */
export const IMAGE_FILE_NAME_HEADER = "x-file-name";

export const DISK_FORMATS = ["qcow2", "iso", "raw"] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

export const DEFAULT_LOGIN_USER = "cirros";

/** A Linux user name: it ends up in SSH commands the verification runs. */
export const loginUserSchema = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "A login user is a Linux user name: lower-case letters, digits, _ and -, at most 32 characters.");

export const imageSettingsSchema = z.object({ loginUser: loginUserSchema });

/** How many leading bytes diskFormatOf needs: an ISO 9660 volume descriptor sits at 32 KiB. */
export const DISK_FORMAT_PROBE_BYTES = 0x8001 + 5;

const QCOW2_MAGIC = [0x51, 0x46, 0x49, 0xfb]; // "QFI\xfb"
const ISO9660_MAGIC = "CD001";

/** The disk format Glance is told, from a file's first bytes (DISK_FORMAT_PROBE_BYTES of them, or the whole of a shorter file). */
export function diskFormatOf(head: Uint8Array): DiskFormat {
  if (QCOW2_MAGIC.every((byte, i) => head[i] === byte)) return "qcow2";
  const iso = head.subarray(0x8001, 0x8001 + ISO9660_MAGIC.length);
  if (String.fromCharCode(...iso) === ISO9660_MAGIC) return "iso";
  return "raw";
}

/** "13.3 MiB": a size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
