import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { adminOpenrcScript } from "../playbook/phases/keystone";
import { adminOpenrcText } from "./openrc";

describe("adminOpenrcText", () => {
  it("is what the keystone.openrc step writes, with the given password in place of ADMIN_PASS", () => {
    const written = execFileSync("bash", ["-c", adminOpenrcScript("ct")], { env: { ...process.env, ADMIN_PASS: "Plain-pass-1234" }, encoding: "utf8" });
    expect(adminOpenrcText("ct", "Plain-pass-1234")).toBe(written);
  });
});
