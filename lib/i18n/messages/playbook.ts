import { defineMessages } from "../defineMessages";

/** Texts of the playbook. */
export const playbookMessages = defineMessages({
  en: {},
  "zh-CN": {},
});
