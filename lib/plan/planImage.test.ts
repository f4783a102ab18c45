import { describe, expect, it } from "vitest";
import { diskFormatOf, DISK_FORMAT_PROBE_BYTES, formatBytes, loginUserSchema } from "./planImage";

describe("diskFormatOf", () => {
  it("reads qcow2 from its magic, QFI\\xfb", () => {
    expect(diskFormatOf(Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]))).toBe("qcow2");
  });

  it("reads an ISO 9660 image from its volume descriptor at 32 KiB", () => {
    const iso = Buffer.alloc(DISK_FORMAT_PROBE_BYTES);
    iso.write("CD001", 0x8001, "latin1");
    expect(diskFormatOf(iso)).toBe("iso");
  });

  it("calls anything else raw, short files and near misses included", () => {
    expect(diskFormatOf(Buffer.from("QFI"))).toBe("raw");
    expect(diskFormatOf(Buffer.from([0x51, 0x46, 0x49, 0xfa]))).toBe("raw");
    expect(diskFormatOf(Buffer.alloc(0))).toBe("raw");
    expect(diskFormatOf(Buffer.alloc(DISK_FORMAT_PROBE_BYTES))).toBe("raw");
  });
});

describe("formatBytes", () => {
  it("says sizes the way people read them", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(13_267_968)).toBe("13 MiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.0 GiB");
  });
});

describe("loginUserSchema", () => {
  it("takes Linux user names and refuses what could break a command line", () => {
    expect(loginUserSchema.parse(" cirros ")).toBe("cirros");
    expect(loginUserSchema.safeParse("ubuntu_2").success).toBe(true);
    for (const bad of ["", "Root", "a b", "x;rm", "-v", "a".repeat(33)]) expect(loginUserSchema.safeParse(bad).success, bad).toBe(false);
  });
});
