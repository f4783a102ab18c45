import { describe, expect, it } from "vitest";
import { inCgroups, systemdCgroupRoots } from "./cgroup";

describe("systemdCgroupRoots", () => {
  it("finds the name=systemd and cgroup2 hierarchies of a hybrid host", () => {
    const mountinfo = [
      "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
      "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
      "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
      "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
    ].join("\n");
    expect(systemdCgroupRoots(mountinfo)).toEqual(["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"]);
  });

  it("finds the single hierarchy of a pure cgroup v2 host", () => {
    const line = "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate";
    expect(systemdCgroupRoots(line)).toEqual(["/sys/fs/cgroup"]);
  });
});

describe("inCgroups", () => {
  it("passes cgroup files and the command as arguments, never inside the script", () => {
    const { command, args } = inCgroups(["/cg/a/cgroup.procs"], "nsenter", ["--net=/run/netns/x", "systemd-nspawn"]);
    expect(command).toBe("sh");
    expect(args[1]).not.toContain("/cg/a");
    expect(args.slice(2)).toEqual(["sh", "/cg/a/cgroup.procs", "--", "nsenter", "--net=/run/netns/x", "systemd-nspawn"]);
  });
});
