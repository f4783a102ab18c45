import { defineMessages } from "../defineMessages";

/** Texts of the wizard. */
export const wizardMessages = defineMessages({
  en: {},
  "zh-CN": {},
});
