import { describe, expect, it } from "vitest";
import { addressInCidr, networkOptionsOf } from "./networkOptions";

const hosts = [
  { id: "a", name: "ct", role: "controller" as const, managementIp: "192.168.100.110", natIp: "192.168.158.110" },
  { id: "b", name: "c1", role: "compute" as const, managementIp: "192.168.100.120", natIp: "192.168.158.120" },
];

describe("networkOptionsOf", () => {
  it("derives the provider network from the controller's second IP, and the guide's self-service network", () => {
    expect(networkOptionsOf({ hosts, options: {} })).toEqual({
      providerCidr: "192.168.158.0/24",
      providerGateway: "192.168.158.1",
      floatingIpStart: "192.168.158.200",
      floatingIpEnd: "192.168.158.249",
      selfServiceCidr: "172.16.1.0/24",
      selfServiceGateway: "172.16.1.1",
    });
  });

  it("keeps what the plan says, trimmed, and derives the rest from it", () => {
    const options = { providerCidr: " 10.9.8.0/24 ", providerGateway: "", floatingIpStart: "10.9.8.50", floatingIpEnd: "", selfServiceCidr: "10.200.0.0/16" };
    expect(networkOptionsOf({ hosts, options })).toMatchObject({
      providerCidr: "10.9.8.0/24",
      providerGateway: "10.9.8.1",
      floatingIpStart: "10.9.8.50",
      floatingIpEnd: "10.9.8.249",
      selfServiceGateway: "10.200.0.1",
    });
  });
});

describe("addressInCidr", () => {
  it("counts from the network's address, whatever host bits the text had", () => {
    expect(addressInCidr("10.123.1.0/24", 1)).toBe("10.123.1.1");
    expect(addressInCidr("10.123.1.77/24", 200)).toBe("10.123.1.200");
    expect(addressInCidr("172.16.0.0/16", 257)).toBe("172.16.1.1");
  });
});
