/**
 * Shared looks that carry accessibility rules, so every control gets them the same way.
 * - A focus ring on keyboard focus (globals.css draws one too; this keeps it if that rule goes).
 * - Field borders in slate-500 (3:1 against white and more, for the field to be seen).
 * - Placeholders in slate-500 (4.8:1 on white): readable, yet lighter than typed values.
 */
export const FOCUS_RING = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700";

export const INPUT_BASE = `rounded border px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 ${FOCUS_RING}`;

export function inputClass(invalid: boolean): string {
  return `${INPUT_BASE} ${invalid ? "border-red-600 bg-red-50" : "border-slate-500 bg-white"}`;
}

/** A text link: underlined, dark enough on white and on light tints. */
export const LINK = `rounded text-blue-800 underline hover:text-blue-950 ${FOCUS_RING}`;
