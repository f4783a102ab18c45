import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { availableFeatures, nspawnInvocation } from "./host";

const config = loadConfig({});
const ct = config.hosts[0];

describe("nspawnInvocation", () => {
  it("boots systemd inside the host's netns, unregistered, with the apt archive bound", () => {
    const { command, args, env } = nspawnInvocation(ct, "/state/hosts/ct/rootfs", "/cache/apt-archives/ct", []);
    expect(command).toBe("nsenter");
    expect(args.slice(0, 2)).toEqual(["--net=/run/netns/splab-ct", "systemd-nspawn"]);
    expect(args).toEqual(expect.arrayContaining(["--boot", "--register=no", "--keep-unit", "--machine=ct", "--directory=/state/hosts/ct/rootfs"]));
    expect(args).toContain("--bind=/cache/apt-archives/ct:/var/cache/apt/archives");
    expect(args.some((a) => a.startsWith("--capability"))).toBe(false);
    expect(env).toEqual({});
  });

  it("makes a hypervisor host by default: tun, kvm, all capabilities, writable /proc/sys", () => {
    const { args, env } = nspawnInvocation(ct, "/r", "/a", config.features);
    expect(args).toEqual(expect.arrayContaining(["--bind=/dev/net/tun", "--bind=/dev/kvm", "--capability=all"]));
    expect(env).toEqual({ SYSTEMD_NSPAWN_API_VFS_WRITABLE: "yes" });
  });

  it("binds /dev/kvm only where the machine has it", () => {
    expect(availableFeatures(config.features, () => false)).toEqual(["tun", "all-capabilities", "writable-proc-sys"]);
    expect(availableFeatures(config.features, (f) => f === "/dev/kvm")).toEqual(config.features);
  });
});
