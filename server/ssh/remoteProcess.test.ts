import { describe, expect, it } from "vitest";
import { parseStopOutput, randomNonce, randomTag, remotePrograms, remoteTag, stopCommand, wrapperCommand, wrapperHeader } from "./remoteProcess";

describe("remoteTag", () => {
  it("keeps step run ids as they are", () => {
    expect(remoteTag("cmabc123xyz")).toBe("cmabc123xyz");
    expect(remoteTag("5e35a55d-ce98-4f98-9bfb-c446d0e55bed")).toBe("5e35a55d-ce98-4f98-9bfb-c446d0e55bed");
  });

  it("turns anything that is not a plain file name into a stable hash", () => {
    for (const tag of ["../etc/passwd", ".hidden", "a b", "x'y", "", "é", "a".repeat(81)]) {
      const mapped = remoteTag(tag);
      expect(mapped).toMatch(/^h-[0-9a-f]{40}$/);
      expect(remoteTag(tag)).toBe(mapped);
    }
    expect(remoteTag("a b")).not.toBe(remoteTag("a  b"));
  });

  it("gives random tags and nonces that are safe shell words", () => {
    expect(randomTag()).toMatch(/^r-[0-9a-f]{24}$/);
    expect(randomTag()).not.toBe(randomTag());
    expect(randomNonce()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("remote programs", () => {
  it("are one line a login shell passes on untouched: no single quote, no '!', no newline", () => {
    for (const program of Object.values(remotePrograms)) {
      expect(program).not.toMatch(/['!\n]/);
      // Shell expansions survived the TypeScript template (an unescaped one would read "undefined").
      expect(program).not.toContain("undefined");
    }
  });

  it("the wrapper runs bash -s without rc files, and takes the tag and nonce from its stdin's first line", () => {
    const command = wrapperCommand();
    expect(command).toBe(`bash --norc -c '${remotePrograms.wrapper}' stackpilot`);
    expect(wrapperHeader("step-1", "abc123")).toBe("step-1 abc123\n");
    expect(remotePrograms.wrapper.endsWith("exec bash -s")).toBe(true);
    // A piped script is read at once (bash -s reads a pipe byte by byte) and run as bash -s would.
    expect(remotePrograms.wrapper).toContain('if [ -p /dev/stdin ]; then exec bash --norc -c "eval \\"\\$(</dev/stdin)\\"" bash; fi; exec bash -s');
  });

  it("the stopper takes its waits in tenths of a second", () => {
    expect(stopCommand("step-1", { nonce: "n1", waitMs: 3000, graceMs: 5000 }).endsWith("' stackpilot step-1 n1 30 50")).toBe(true);
    expect(stopCommand("step-1", { graceMs: 5000 }).endsWith("' stackpilot step-1 - 0 50")).toBe(true);
  });

  it("refuses words that would need quoting", () => {
    expect(() => wrapperHeader("a;b", "n")).toThrow(/safe shell word/);
    expect(() => wrapperHeader("t", "n\nrm -rf /")).toThrow(/safe shell word/);
    expect(() => stopCommand("t", { nonce: "$(x)", graceMs: 1 })).toThrow(/safe shell word/);
  });
});

describe("parseStopOutput", () => {
  it.each([
    ["stopped\n", "stopped"],
    ["none\n", "none"],
    ["alive\n", "alive"],
    ["some rc noise\nstopped\n", "stopped"],
    ["", undefined],
    ["stackpilot: no private directory\n", undefined],
  ])("reads %j as %s", (stdout, outcome) => {
    expect(parseStopOutput(stdout)).toBe(outcome);
  });
});
