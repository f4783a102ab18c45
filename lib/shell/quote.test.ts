import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "./quote";

const hostile = [
  `it's`,
  `"double"`,
  "$(touch /tmp/pwned)",
  "`id`",
  "a b\tc",
  "semi;colon&and|pipe<>",
  "back\\slash",
  "new\nline",
  "ünïcödé 密码",
  "",
  "-n",
  "*",
  "'",
  "''",
  `'\\''`,
  `' ; touch /tmp/pwned #`,
  `" ; touch /tmp/pwned #`,
  "x\n touch /tmp/pwned",
  "\r\n\r",
  "${HOME}",
  "$HOME",
  "~root",
  "!!",
  "a\\",
  "\\'",
  "{a,b}",
  "[a-z]*",
  "#comment",
  "x=y z",
  "\u202e\u200b emoji 🚀",
  "\x1b[31mred",
  "\x7f\x01\x02",
  "é".repeat(5000), // 10 kB of UTF-8
];

/** What bash reads back from a value quoted into a script. */
function echoed(...values: string[]): string[] {
  const script = `for v in ${values.map(shellQuote).join(" ")}; do printf '%s\\0' "$v"; done`;
  return execFileSync("bash", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 }).split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it.each(hostile.map((value) => [value.length > 40 ? `${value.slice(0, 20)}… (${value.length} chars)` : value, value]))("bash reads %j back unchanged", (_label, value) => {
    expect(echoed(value)).toEqual([value]);
  });

  it("keeps every hostile value one word, side by side, in one script", () => {
    expect(echoed(...hostile)).toEqual(hostile);
  });

  it("survives a second level: a quoted command given to bash -c", () => {
    for (const value of hostile) {
      const inner = `printf '%s' ${shellQuote(value)}`;
      expect(execFileSync("bash", ["-c", `bash -c ${shellQuote(inner)}`], { encoding: "utf8", maxBuffer: 1 << 24 })).toBe(value);
    }
  });

  it("leaves plain values readable", () => {
    expect(shellQuote("192.168.100.110")).toBe("192.168.100.110");
    expect(shellQuote("ct")).toBe("ct");
    expect(shellQuote("http://vault.centos.org/7.9")).toBe("http://vault.centos.org/7.9");
  });

  it("quotes whatever is not plain, and an empty value as ''", () => {
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("refuses NUL bytes", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
    expect(() => shellQuote("\0")).toThrow(/NUL/);
  });
});
