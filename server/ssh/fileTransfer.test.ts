import { describe, expect, it } from "vitest";
import { sendFile } from "./fileTransfer";
import type { SshSession } from "./sshSession";

/** A session that fails the test if anything is sent: refusals happen before the host is asked. */
const untouchable = new Proxy({}, { get: () => expect.unreachable("the host was asked") }) as unknown as SshSession;
const file = { localPath: "/tmp/x", bytes: 3, sha256: "a".repeat(64) };

describe("sendFile", () => {
  it("refuses a target that is relative or climbs out with .., before asking the host anything", async () => {
    for (const remotePath of ["stackpilot-images/cirros", "/root/stackpilot-images/../../etc/cron.d/x"]) {
      await expect(sendFile(untouchable, { ...file, remotePath })).rejects.toThrow(/not an absolute path without/);
    }
  });

  it("refuses a file without a SHA-256 to check it by", async () => {
    await expect(sendFile(untouchable, { ...file, remotePath: "/root/stackpilot-images/cirros", sha256: "'; reboot #" })).rejects.toThrow(/without its SHA-256/);
  });
});
