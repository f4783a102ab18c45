import type { Locale } from "../i18n/locale";
import { translator, type Translate } from "../i18n/translate";

/**
 * The runner's own messages about a run or a step (server/deploy), which it stores in English,
 * said in the reader's language. Only the runner's fixed wording is translated; what a host
 * printed (the last error line of a script) stays as it was. A message not known here, and
 * every message in English, is shown as it came. Pure.
 */
export function runMessageText(locale: Locale, message: string, stepTitle: (english: string) => string = (title) => title): string {
  if (locale === "en") return message;
  const t = translator(locale);
  return translated(message, t, stepTitle) ?? message;
}

const EXACT: Record<string, Parameters<Translate>[0]> = {
  "The retried step is done; resume to go on with the rest.": "runMessage.paused",
  "The StackPilot server stopped while this was running. Resume to go on from here.": "runMessage.interrupted",
  "Cancelled by the operator.": "runMessage.stepCancelled",
  "Cancelled by the operator before it started.": "runMessage.stepCancelledBefore",
};

function translated(message: string, t: Translate, stepTitle: (english: string) => string): string | null {
  const exact = EXACT[message];
  if (exact) return t(exact);
  let m = /^Stopped at "(.+)" on (.+)\.$/s.exec(message);
  if (m) return t("runMessage.stopped", { step: stepTitle(m[1]), hosts: m[2] });
  m = /^Cancelled at "(.+)"\.$/s.exec(message);
  if (m) return t("runMessage.cancelledAt", { step: stepTitle(m[1]) });
  m = /^Port (\d+) \((.+?)\) on (\S+) is not reachable from (.+?): (.+)\.$/s.exec(message);
  if (m) {
    const reason = m[5] === "connection refused" ? t("ports.reason.refused") : /^no answer within (\d+(?:\.\d+)?) s$/.test(m[5]) ? t("ports.reason.timeout", { n: /(\d+(?:\.\d+)?)/.exec(m[5])![1] }) : m[5];
    return t("runMessage.portUnreachable", { port: m[1], label: m[2], to: m[3], from: m[4] === "this machine" ? t("ports.thisMachine") : m[4], reason });
  }
  // server/deploy/stepExecutor.ts failureMessage: `${title} ${what} on ${host} (${code})` then `: ${lastError}` or `.`
  m = /^(.+) (failed|did not verify) on (\S+) \((?:exit code (-?\d+)|it was stopped)\)(?:: (.*)|\.)$/s.exec(message);
  if (m) {
    const [, title, what, host, code, detail] = m;
    const params = { step: stepTitle(title), host, code: code ?? "" };
    const head =
      what === "failed"
        ? code !== undefined
          ? t("runMessage.stepFailed", params)
          : t("runMessage.stepFailedStopped", params)
        : code !== undefined
          ? t("runMessage.stepNotVerified", params)
          : t("runMessage.stepNotVerifiedStopped", params);
    return detail !== undefined ? t("runMessage.withDetail", { message: head, detail }) : t("runMessage.end", { message: head });
  }
  return null;
}
