import type { Locale } from "./locale";
import { MESSAGES, type MessageKey } from "./messages";

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A text in a language with its {placeholders} filled. Pure: the UI, the report and the CLI share it. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const text = MESSAGES[locale][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
