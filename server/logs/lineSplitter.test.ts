import { describe, expect, it } from "vitest";
import { LineSplitter } from "./lineSplitter";

function split(chunks: (string | Buffer)[]) {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  chunks.forEach((c) => splitter.push(c));
  splitter.end();
  return lines;
}

describe("LineSplitter", () => {
  it("joins a line split across chunks and keeps a last line without newline", () => {
    expect(split(["hel", "lo\nwor", "ld\r\n", "tail"])).toEqual(["hello", "world", "tail"]);
  });

  it("keeps empty lines", () => {
    expect(split(["a\n\nb\n"])).toEqual(["a", "", "b"]);
  });

  it("decodes a multi-byte character split between two chunks", () => {
    const bytes = Buffer.from("密码\n");
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(["密码"]);
  });
});
