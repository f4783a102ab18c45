import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { hostsFile } from "./rootfs";

const config = loadConfig({});

describe("host files", () => {
  it("/etc/hosts names all three hosts on the management network", () => {
    const text = hostsFile(config);
    expect(text).toContain("10.123.0.110\tct\n10.123.0.120\tc1\n10.123.0.130\tc2\n");
    expect(text).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
  });
});
