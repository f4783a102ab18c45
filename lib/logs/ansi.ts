/**
 * ANSI colours in log lines: SGR escape sequences (ESC [ … m) turned into styled pieces of plain
 * text, every other escape sequence (cursor moves, erase line, window titles…) dropped. The
 * result is data, never markup: the log view renders each piece as a text node in a styled span,
 * so a host's output cannot inject anything into the page. Each line is read on its own (a colour
 * left open at the end of a line does not run into the next one), so any line of a virtualised
 * log can be drawn without the lines before it.
 */

export type AnsiStyle = {
  /** CSS colours. */
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  inverse?: boolean;
};

export type AnsiSegment = { text: string; style: AnsiStyle };

/** The 16 basic colours, made readable on the log's dark background (slate-900). */
export const ANSI_PALETTE = [
  "#64748b", // black: a visible grey on the dark background
  "#f87171",
  "#4ade80",
  "#facc15",
  "#60a5fa",
  "#e879f9",
  "#22d3ee",
  "#e2e8f0",
  "#94a3b8", // bright black
  "#fca5a5",
  "#86efac",
  "#fde047",
  "#93c5fd",
  "#f0abfc",
  "#67e8f9",
  "#ffffff",
] as const;

/** The log's own colours, for "inverse". */
const DEFAULT_FG = "#f1f5f9";
const DEFAULT_BG = "#0f172a";

/**
 * CSI sequences (ESC [ params intermediates final), OSC sequences (ESC ] … BEL or ESC \), and
 * other two-character escapes; also a lone ESC at the end.
 */
const ESCAPE = /\x1b\[([0-?]*)[ -/]*([@-~])|\x9b([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?/g;

export function hasAnsi(text: string): boolean {
  return text.includes("\x1b") || text.includes("\x9b");
}

/** The text without any escape sequence. */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(ESCAPE, "") : text;
}

/** A colour of the 256-colour table. */
export function color256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return ANSI_PALETTE[n];
  if (n < 232) {
    const levels = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return rgb(levels[Math.floor(i / 36)], levels[Math.floor(i / 6) % 6], levels[i % 6]);
  }
  const grey = 8 + 10 * (n - 232);
  return rgb(grey, grey, grey);
}

function rgb(r: number, g: number, b: number): string | undefined {
  if (![r, g, b].every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return undefined;
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * An extended colour (38/48 …): `5;n` or `2;r;g;b`, read from `codes` after position `i`.
 * Returns the colour (or undefined when malformed) and how many codes it used.
 */
function extendedColor(codes: number[], i: number): { color: string | undefined; used: number } {
  const mode = codes[i + 1];
  if (mode === 5) return { color: color256(codes[i + 2]), used: 2 };
  if (mode === 2) return { color: rgb(codes[i + 2], codes[i + 3], codes[i + 4]), used: 4 };
  return { color: undefined, used: codes.length - i - 1 };
}

/** The style after one SGR sequence's parameters ("1;31", "38;5;208", "38:2::255:0:0", "" = reset). */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  // Colon sub-parameters (38:2::r:g:b) read like semicolons; an empty colour-space id is dropped.
  const normalized = params.replace(/(^|[;:])(38|48|58):2::/g, "$1$2:2:").replace(/:/g, ";");
  const codes = normalized === "" ? [0] : normalized.split(";").map((p) => (p === "" ? 0 : Number(p)));
  let next: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (!Number.isFinite(code)) continue;
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 9) next.strike = true;
    else if (code === 21 || code === 22) {
      delete next.bold;
      delete next.dim;
    } else if (code === 23) delete next.italic;
    else if (code === 24) delete next.underline;
    else if (code === 27) delete next.inverse;
    else if (code === 29) delete next.strike;
    else if (code >= 30 && code <= 37) next.fg = ANSI_PALETTE[code - 30];
    else if (code === 39) delete next.fg;
    else if (code >= 40 && code <= 47) next.bg = ANSI_PALETTE[code - 40];
    else if (code === 49) delete next.bg;
    else if (code >= 90 && code <= 97) next.fg = ANSI_PALETTE[code - 90 + 8];
    else if (code >= 100 && code <= 107) next.bg = ANSI_PALETTE[code - 100 + 8];
    else if (code === 38 || code === 48 || code === 58) {
      const { color, used } = extendedColor(codes, i);
      if (color && code === 38) next.fg = color;
      if (color && code === 48) next.bg = color;
      i += used;
    }
  }
  return next;
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof AnsiStyle>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/** A line as pieces of plain text with their style, neighbours of the same style joined; "" gives []. */
export function parseAnsi(text: string): AnsiSegment[] {
  if (!hasAnsi(text)) return text ? [{ text, style: {} }] : [];
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let at = 0;
  const push = (piece: string) => {
    if (!piece) return;
    const last = segments[segments.length - 1];
    if (last && sameStyle(last.style, style)) last.text += piece;
    else segments.push({ text: piece, style });
  };
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match; match = ESCAPE.exec(text)) {
    push(text.slice(at, match.index));
    at = match.index + match[0].length;
    const params = match[1] ?? match[3];
    const final = match[2] ?? match[4];
    if (final === "m" && params !== undefined && /^[\d;:]*$/.test(params)) style = applySgr(style, params);
    if (match[0].length === 0) ESCAPE.lastIndex++;
  }
  push(text.slice(at));
  return segments;
}

/** CSS for a style (React's style prop takes it as it is). */
export function ansiCss(style: AnsiStyle): { color?: string; backgroundColor?: string; fontWeight?: number; opacity?: number; fontStyle?: "italic"; textDecoration?: string } {
  const css: ReturnType<typeof ansiCss> = {};
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? DEFAULT_BG, fg ?? DEFAULT_FG];
  if (fg) css.color = fg;
  if (bg) css.backgroundColor = bg;
  if (style.bold) css.fontWeight = 700;
  if (style.dim) css.opacity = 0.7;
  if (style.italic) css.fontStyle = "italic";
  const lines = [style.underline && "underline", style.strike && "line-through"].filter(Boolean);
  if (lines.length > 0) css.textDecoration = lines.join(" ");
  return css;
}
