import { describe, expect, it } from "vitest";
import { DEFAULT_STATE_DIR, LabConfigError, loadConfig, stateDirFromEnv } from "./config";

describe("loadConfig", () => {
  it("has working defaults mirroring the tutorial's .110/.120/.130", () => {
    const config = loadConfig({});
    expect(config.stateDir).toBe(DEFAULT_STATE_DIR);
    expect(config.management).toMatchObject({ bridge: "splab-br0", subnet: "10.123.0.0/24", gateway: "10.123.0.1" });
    expect(config.provider?.subnet).toBe("10.123.1.0/24");
    expect(config.hosts.map((h) => [h.name, h.role, h.managementIp, h.providerIp])).toEqual([
      ["ct", "controller", "10.123.0.110", "10.123.1.110"],
      ["c1", "compute", "10.123.0.120", "10.123.1.120"],
      ["c2", "compute", "10.123.0.130", "10.123.1.130"],
    ]);
    expect(config.features).toEqual(["tun", "kvm", "all-capabilities", "writable-proc-sys"]);
    expect(config.bootTimeoutMs).toBe(90_000);
  });

  it("keeps interface names within the kernel's 15 characters", () => {
    for (const h of loadConfig({}).hosts) {
      for (const name of [h.netns, h.vethManagement, h.vethProvider]) expect(name.length).toBeLessThanOrEqual(15);
    }
  });

  it("lets LAB_FEATURES=none boot plain containers", () => {
    expect(loadConfig({ LAB_FEATURES: "none" }).features).toEqual([]);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ LAB_SUBNET: "", LAB_STATE_DIR: "" }).management.subnet).toBe("10.123.0.0/24");
  });

  it("accepts other private ranges and disabling the second NIC", () => {
    const config = loadConfig({ LAB_SUBNET: "192.168.77.0/24", LAB_PROVIDER_SUBNET: "none", LAB_FEATURES: "tun, writable-proc-sys" });
    expect(config.hosts[0].managementIp).toBe("192.168.77.110");
    expect(config.provider).toBeNull();
    expect(config.hosts[0].providerIp).toBeNull();
    expect(config.features).toEqual(["tun", "writable-proc-sys"]);
  });

  it.each([
    [{ LAB_SUBNET: "8.8.8.0/24" }, /not inside a private range/],
    [{ LAB_SUBNET: "10.1.2.0/25" }, /prefix must be/],
    [{ LAB_SUBNET: "10.1.2.3/24" }, /host bits/],
    [{ LAB_SUBNET: "10.1.0.0/16", LAB_PROVIDER_SUBNET: "10.1.5.0/24" }, /overlap/],
    [{ LAB_STATE_DIR: "relative/dir" }, /absolute path/],
    [{ LAB_FEATURES: "kvm,vhost" }, /LAB_FEATURES/],
    [{ LAB_PROXY_PORT: "80" }, /LAB_PROXY_PORT/],
  ])("rejects %o", (env, message) => {
    expect(() => loadConfig(env)).toThrow(LabConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("resolves the state dir the same way for lab/state.ts", () => {
    expect(stateDirFromEnv({})).toBe(DEFAULT_STATE_DIR);
    expect(stateDirFromEnv({ LAB_STATE_DIR: "/tmp/x/../lab" })).toBe("/tmp/lab");
    expect(loadConfig({ LAB_STATE_DIR: "/tmp/x/../lab" }).stateDir).toBe("/tmp/lab");
  });
});
