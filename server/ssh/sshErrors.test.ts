import { describe, expect, it } from "vitest";
import { describeSshError, SshError } from "./sshErrors";

const target = { host: "192.168.100.120", port: 22, username: "root", password: "x" };
const err = (props: Record<string, string>, message = "boom") => Object.assign(new Error(message), props);

describe("describeSshError", () => {
  it.each([
    [err({ code: "ECONNREFUSED" }), "refused", "Connection refused by 192.168.100.120:22: nothing is listening on port 22."],
    [err({ level: "client-authentication" }, "All configured authentication methods failed"), "auth", "root@192.168.100.120:22 refused the password"],
    [err({ level: "client-timeout" }, "Timed out while waiting for handshake"), "timeout", "No SSH answer from 192.168.100.120:22 within 10 s"],
    [err({ code: "EHOSTUNREACH" }), "unreachable", "192.168.100.120 is unreachable from this machine"],
    [err({ level: "client-timeout" }, "Keepalive timeout"), "dropped", "stopped answering"],
  ])("words %s plainly", (error, kind, text) => {
    const described = describeSshError(error, target, 10_000);
    expect(described.kind).toBe(kind);
    expect(described.message).toContain(text);
  });

  it("says 'private key' when the key was refused", () => {
    expect(describeSshError(err({ level: "client-authentication" }), { ...target, password: undefined, privateKey: "k" }, 10_000).message).toContain("refused the private key");
  });

  it("passes an SshError through as it is (a cancel stays a cancel)", () => {
    const cancelled = new SshError("The command was cancelled; it is no longer running on 192.168.100.120.", "cancelled");
    expect(describeSshError(cancelled, target, 10_000)).toBe(cancelled);
  });
});
