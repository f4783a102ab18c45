import { describe, expect, it } from "vitest";
import { addressAt, cidrsOverlap, formatCidr, networkOf, parseCidr, parseIpv4, formatIpv4 } from "./ipv4";

describe("ipv4", () => {
  it("round-trips addresses", () => {
    expect(formatIpv4(parseIpv4("10.123.0.110"))).toBe("10.123.0.110");
    expect(formatIpv4(parseIpv4("255.255.255.255"))).toBe("255.255.255.255");
  });

  it("rejects malformed addresses and CIDRs", () => {
    expect(() => parseIpv4("10.0.0")).toThrow(/not an IPv4/);
    expect(() => parseIpv4("10.0.0.256")).toThrow(/not an IPv4/);
    expect(() => parseCidr("10.0.0.0")).toThrow(/CIDR/);
    expect(() => parseCidr("10.0.0.0/33")).toThrow(/prefix/);
  });

  it("refuses host bits and suggests the network", () => {
    expect(() => parseCidr("10.123.0.5/24")).toThrow("did you mean 10.123.0.0/24?");
  });

  it("detects overlap in both directions", () => {
    const lab = parseCidr("10.123.0.0/24");
    expect(cidrsOverlap(lab, parseCidr("10.0.0.0/8"))).toBe(true);
    expect(cidrsOverlap(parseCidr("10.0.0.0/8"), lab)).toBe(true);
    expect(cidrsOverlap(lab, parseCidr("10.123.1.0/24"))).toBe(false);
    expect(cidrsOverlap(lab, parseCidr("10.123.0.77/32"))).toBe(true);
  });

  it("plans addresses inside the network", () => {
    const lab = parseCidr("10.123.0.0/24");
    expect(addressAt(lab, 1)).toBe("10.123.0.1");
    expect(addressAt(lab, 130)).toBe("10.123.0.130");
    expect(addressAt(parseCidr("172.16.0.0/16"), 110)).toBe("172.16.0.110");
    expect(() => addressAt(parseCidr("10.0.0.0/25"), 130)).toThrow(/does not fit/);
    expect(() => addressAt(lab, 255)).toThrow(/does not fit/); // broadcast
  });

  it("finds the network of an interface address", () => {
    expect(formatCidr(networkOf("192.0.2.2", 24))).toBe("192.0.2.0/24");
  });
});
