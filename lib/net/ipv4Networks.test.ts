import { describe, expect, it } from "vitest";
import { cidrBounds, cidrContains, cidrsOverlap, ipv4Number, validCidr, validIPv4 } from "./ipv4Networks";

describe("IPv4 networks", () => {
  it("reads an address as a number", () => {
    expect(ipv4Number("0.0.0.0")).toBe(0);
    expect(ipv4Number("10.0.0.1")).toBe(167772161);
    expect(ipv4Number("255.255.255.255")).toBe(2 ** 32 - 1);
  });

  it("knows a network's first and last address", () => {
    expect(cidrBounds("192.168.158.0/24")).toEqual({ first: ipv4Number("192.168.158.0"), last: ipv4Number("192.168.158.255") });
    expect(cidrBounds("10.0.0.128/25")).toEqual({ first: ipv4Number("10.0.0.128"), last: ipv4Number("10.0.0.255") });
  });

  it("tells whether an address is in a network, edges included", () => {
    expect(cidrContains("10.0.0.0/25", "10.0.0.0")).toBe(true);
    expect(cidrContains("10.0.0.0/25", "10.0.0.127")).toBe(true);
    expect(cidrContains("10.0.0.0/25", "10.0.0.128")).toBe(false);
    expect(cidrContains("10.0.0.0/8", "11.0.0.0")).toBe(false);
  });

  it("tells whether two networks share an address", () => {
    expect(cidrsOverlap("10.0.0.0/8", "10.20.0.0/16")).toBe(true);
    expect(cidrsOverlap("10.20.0.0/16", "10.0.0.0/8")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/25", "10.0.0.128/25")).toBe(false);
    expect(cidrsOverlap("172.16.1.0/24", "192.168.158.0/24")).toBe(false);
  });

  it("keeps only well-formed values", () => {
    expect(validCidr("10.0.0.0/24")).toBe("10.0.0.0/24");
    expect(validCidr("10.0.0.1/24")).toBeNull();
    expect(validIPv4("10.0.0.1")).toBe("10.0.0.1");
    expect(validIPv4("10.0.0.256")).toBeNull();
  });
});
