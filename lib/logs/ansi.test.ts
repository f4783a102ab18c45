import { describe, expect, it } from "vitest";
import { ANSI_PALETTE, ansiCss, color256, hasAnsi, parseAnsi, stripAnsi } from "./ansi";

const E = "\x1b";

describe("parseAnsi", () => {
  it("gives plain text as one piece without style, and nothing for an empty line", () => {
    expect(parseAnsi("just text <b>&amp;</b>")).toEqual([{ text: "just text <b>&amp;</b>", style: {} }]);
    expect(parseAnsi("")).toEqual([]);
  });

  it("reads colours, bold and reset as tools print them (apt, systemctl, grep)", () => {
    expect(parseAnsi(`${E}[1;31mE:${E}[0m Unable to locate package ${E}[32mfoo${E}[m`)).toEqual([
      { text: "E:", style: { bold: true, fg: ANSI_PALETTE[1] } },
      { text: " Unable to locate package ", style: {} },
      { text: "foo", style: { fg: ANSI_PALETTE[2] } },
    ]);
    // systemctl's green dot, with the bright colours.
    expect(parseAnsi(`${E}[0;1;92m●${E}[0m mariadb.service`)).toEqual([
      { text: "●", style: { bold: true, fg: ANSI_PALETTE[10] } },
      { text: " mariadb.service", style: {} },
    ]);
  });

  it("turns single attributes off and keeps the rest", () => {
    const [a, b, c] = parseAnsi(`${E}[1;4;33;44mA${E}[22mB${E}[39;49;24mC`);
    expect(a.style).toEqual({ bold: true, underline: true, fg: ANSI_PALETTE[3], bg: ANSI_PALETTE[4] });
    expect(b.style).toEqual({ underline: true, fg: ANSI_PALETTE[3], bg: ANSI_PALETTE[4] });
    expect(c.style).toEqual({});
  });

  it("reads 256 colours and true colour, with semicolons or colons", () => {
    expect(parseAnsi(`${E}[38;5;208mx`)[0].style.fg).toBe(color256(208));
    expect(color256(208)).toBe("#ff8700");
    expect(color256(244)).toBe("#808080");
    expect(color256(9)).toBe(ANSI_PALETTE[9]);
    expect(parseAnsi(`${E}[38;2;255;0;128mx`)[0].style.fg).toBe("#ff0080");
    expect(parseAnsi(`${E}[48:2::1:2:3mx`)[0].style.bg).toBe("#010203");
    expect(parseAnsi(`${E}[38;5;999mx`)[0].style).toEqual({});
  });

  it("drops every other escape sequence: cursor moves, erase line, window titles, lone escapes", () => {
    const line = `${E}[2K${E}[1G${E}]0;title${E}\\Progress: ${E}[?25l42%${E}]8;;http://x${E}\\${E}(B done${E}`;
    expect(parseAnsi(line)).toEqual([{ text: "Progress: 42% done", style: {} }]);
    expect(stripAnsi(line)).toBe("Progress: 42% done");
  });

  it("keeps markup-like text as text (the view renders it as text nodes)", () => {
    const pieces = parseAnsi(`${E}[31m<img src=x onerror=alert(1)>${E}[0m`);
    expect(pieces).toEqual([{ text: "<img src=x onerror=alert(1)>", style: { fg: ANSI_PALETTE[1] } }]);
  });

  it("joins neighbours of the same style", () => {
    expect(parseAnsi(`${E}[31ma${E}[31mb${E}[0m${E}[0mc`)).toEqual([
      { text: "ab", style: { fg: ANSI_PALETTE[1] } },
      { text: "c", style: {} },
    ]);
  });
});

describe("stripAnsi and hasAnsi", () => {
  it("leave a plain line as it is", () => {
    expect(hasAnsi("flood line 1")).toBe(false);
    expect(stripAnsi("flood line 1")).toBe("flood line 1");
    expect(stripAnsi(`${E}[1;31mred${E}[0m and plain`)).toBe("red and plain");
  });
});

describe("ansiCss", () => {
  it("turns a style into CSS, swapping colours for inverse", () => {
    expect(ansiCss({})).toEqual({});
    expect(ansiCss({ fg: "#f00", bold: true, underline: true, strike: true, italic: true, dim: true })).toEqual({
      color: "#f00",
      fontWeight: 700,
      textDecoration: "underline line-through",
      fontStyle: "italic",
      opacity: 0.7,
    });
    expect(ansiCss({ inverse: true, fg: "#f00" })).toEqual({ color: "#0f172a", backgroundColor: "#f00" });
  });
});
