import type { Translate } from "../i18n/translate";

/** A duration for people: "4.2 s", "3 min 5 s", "1 h 2 min" (in the reader's language). */
export function formatDuration(ms: number, t: Translate): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return t("duration.seconds", { n: seconds.toFixed(1) });
  const whole = Math.round(seconds);
  if (whole < 3600) return t("duration.minutes", { m: Math.floor(whole / 60), s: whole % 60 });
  return t("duration.hours", { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
}

/** A time axis mark: "0 s", "30 s", "2 min", "2 min 30 s", "1 h 0 min". */
export function formatTick(ms: number, t: Translate): string {
  const whole = Math.round(Math.max(0, ms) / 1000);
  if (whole < 60) return t("duration.seconds", { n: whole });
  if (whole >= 3600) return t("duration.hours", { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
  return whole % 60 === 0 ? t("duration.tickMinutes", { m: whole / 60 }) : t("duration.minutes", { m: Math.floor(whole / 60), s: whole % 60 });
}
