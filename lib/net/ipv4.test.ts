import { describe, expect, it } from "vitest";
import { isCidr, isHostname, isIPv4, isPort, isPosixUser } from "./ipv4";

describe("isIPv4", () => {
  it.each(["192.168.100.110", "0.0.0.0", "255.255.255.255", "127.0.0.120"])("accepts %s", (ip) => expect(isIPv4(ip)).toBe(true));
  it.each(["192.168.100", "192.168.100.256", "192.168.100.0110", "192.168.100.11o", " 192.168.1.1", "1.2.3.4.5", "", "::1"])(
    "rejects %j",
    (ip) => expect(isIPv4(ip)).toBe(false),
  );
});

describe("isHostname", () => {
  it.each(["ct", "c1", "compute-01", "ct.example.org"])("accepts %s", (name) => expect(isHostname(name)).toBe(true));
  it.each(["-ct", "ct-", "c_1", "c 1", "ct..x", "", "a".repeat(64), "ct;rm"])("rejects %j", (name) => expect(isHostname(name)).toBe(false));
});

describe("isPosixUser / isPort", () => {
  it("accepts root and rejects shell syntax", () => {
    expect(isPosixUser("root")).toBe(true);
    expect(isPosixUser("root;id")).toBe(false);
    expect(isPosixUser("Root")).toBe(false);
  });
  it("accepts 1-65535 only", () => {
    expect([0, 1, 22, 65535, 65536, 2.5].map(isPort)).toEqual([false, true, true, true, false, false]);
  });
});

describe("isCidr", () => {
  it.each(["192.168.100.0/24", "10.123.0.0/16", "10.0.0.0/8"])("accepts %s", (c) => expect(isCidr(c)).toBe(true));
  it.each(["192.168.100.1/24", "192.168.100.0", "192.168.100.0/33", "192.168.100.0/24/1", "x/24", "10.0.0.0/4"])("rejects %j", (c) => expect(isCidr(c)).toBe(false));
});
