import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "./quote";

const hostile = [`it's`, `"double"`, "$(touch /tmp/pwned)", "`id`", "a b\tc", "semi;colon&and|pipe<>", "back\\slash", "new\nline", "ünïcödé 密码", "", "-n", "*"];

describe("shellQuote", () => {
  it.each(hostile)("bash reads %j back unchanged", (value) => {
    const echoed = execFileSync("bash", ["-c", `printf '%s' ${shellQuote(value)}`], { encoding: "utf8" });
    expect(echoed).toBe(value);
  });

  it("leaves plain values readable", () => {
    expect(shellQuote("192.168.100.110")).toBe("192.168.100.110");
    expect(shellQuote("ct")).toBe("ct");
  });

  it("refuses NUL bytes", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});
