import type { Locale } from "./locale";

/**
 * One area's texts in every language. English defines the keys; the other languages must have
 * exactly the same ones (a missing translation is a type error, not a blank in the UI).
 * Placeholders are written {name} and filled by translate().
 */
export function defineMessages<const T extends Record<string, string>>(messages: { en: T } & { [L in Exclude<Locale, "en">]: Record<keyof T, string> }) {
  return messages;
}
