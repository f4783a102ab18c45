import { defineMessages } from "../defineMessages";

/** Texts of the dashboard. */
export const dashboardMessages = defineMessages({
  en: {},
  "zh-CN": {},
});
