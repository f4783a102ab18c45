import { describe, expect, it } from "vitest";
import { parseCidr } from "./ipv4";
import { findSubnetConflicts, type IpAddressEntry, type IpRouteEntry } from "./network";

const addresses: IpAddressEntry[] = [
  { ifname: "lo", addr_info: [{ family: "inet", local: "127.0.0.1", prefixlen: 8 }] },
  { ifname: "eth0", addr_info: [{ family: "inet", local: "192.0.2.2", prefixlen: 24 }] },
  { ifname: "splab-br0", addr_info: [{ family: "inet", local: "10.123.0.1", prefixlen: 24 }] },
];
const routes: IpRouteEntry[] = [
  { dst: "default", dev: "eth0" },
  { dst: "192.0.2.0/24", dev: "eth0" },
  { dst: "10.123.0.0/24", dev: "splab-br0" },
  { dst: "10.200.0.0/16", dev: "wg0" },
  { dst: "10.99.0.7", dev: "tun0" },
];
const own = ["splab-br0", "splab-br1"];

describe("findSubnetConflicts", () => {
  it("ignores the lab's own bridge and the default route (a running lab is not a conflict)", () => {
    expect(findSubnetConflicts([parseCidr("10.123.0.0/24")], addresses, routes, own)).toEqual([]);
  });

  it("reports addresses and routes that overlap", () => {
    expect(findSubnetConflicts([parseCidr("192.0.2.0/24")], addresses, routes, own)).toEqual([
      "192.0.2.0/24 overlaps address 192.0.2.2/24 on eth0",
      "192.0.2.0/24 overlaps route 192.0.2.0/24 dev eth0",
    ]);
    expect(findSubnetConflicts([parseCidr("10.200.5.0/24")], addresses, routes, own)).toEqual([
      "10.200.5.0/24 overlaps route 10.200.0.0/16 dev wg0",
    ]);
    expect(findSubnetConflicts([parseCidr("10.99.0.0/24")], addresses, routes, own)).toHaveLength(1);
  });

  it("counts the lab's range as taken when someone else's link holds it", () => {
    const foreign = [{ ifname: "br-docker", addr_info: [{ family: "inet", local: "10.123.0.9", prefixlen: 24 }] }];
    expect(findSubnetConflicts([parseCidr("10.123.0.0/24")], foreign, [], own)).toHaveLength(1);
  });
});
