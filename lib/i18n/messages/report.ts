import { defineMessages } from "../defineMessages";

/** Texts of the report. */
export const reportMessages = defineMessages({
  en: {},
  "zh-CN": {},
});
