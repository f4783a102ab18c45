/**
 * The one function that puts a value into a shell script. Single quotes make every character
 * literal; a single quote itself is closed, escaped and reopened. NUL cannot be passed to a
 * shell at all, so it is refused rather than silently cut.
 */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("A value for the shell cannot contain a NUL byte.");
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
