import type { Locale } from "../locale";
import { authMessages } from "./auth";
import { commonMessages } from "./common";
import { dashboardMessages } from "./dashboard";
import { imageMessages } from "./image";
import { playbookMessages } from "./playbook";
import { reportMessages } from "./report";
import { wizardMessages } from "./wizard";

/**
 * Every text of the UI and the report, by language. Each area keeps its own file (common,
 * wizard, dashboard, report, playbook…); this is the one place they are put together.
 */
const AREAS = [commonMessages, authMessages, wizardMessages, imageMessages, dashboardMessages, playbookMessages, reportMessages] as const;

type Merge<A extends readonly { en: Record<string, string> }[]> = A extends readonly [infer H extends { en: Record<string, string> }, ...infer R extends readonly { en: Record<string, string> }[]]
  ? H["en"] & Merge<R>
  : unknown;

export type Messages = Merge<typeof AREAS>;
export type MessageKey = keyof Messages & string;

export const MESSAGES = Object.fromEntries(
  (["en", "zh-CN"] as const).map((locale) => [locale, Object.assign({}, ...AREAS.map((area) => area[locale]))]),
) as Record<Locale, Record<MessageKey, string>>;
