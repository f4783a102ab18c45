import { describe, expect, it } from "vitest";
import { LineSplitter } from "./lineSplitter";
import { MASK, Redactor } from "./redactor";

describe("Redactor", () => {
  it("masks every occurrence of every secret, longest first", () => {
    const r = new Redactor(["s3cret", "s3cret-longer", `q'u"o$te`]);
    expect(r.redact(`a s3cret-longer b s3cret c q'u"o$te`)).toBe(`a ${MASK} b ${MASK} c ${MASK}`);
  });

  it("masks a secret that arrived split across two output chunks once the line is whole", () => {
    const r = new Redactor(["hunter2hunter2"]);
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(r.redact(line)));
    splitter.push("password is hunter2");
    splitter.push("hunter2 ok\n");
    expect(lines).toEqual([`password is ${MASK} ok`]);
  });

  it("ignores values too short to tell from ordinary text", () => {
    expect(new Redactor(["a"]).redact("a cat")).toBe("a cat");
  });
});
