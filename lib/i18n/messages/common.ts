import { defineMessages } from "../defineMessages";

/** Texts of the page frame and words used everywhere. */
export const commonMessages = defineMessages({
  en: {
    "app.tagline": "OpenStack, installed step by step over SSH",
    "app.language": "Language",
    "common.loading": "Loading…",
    "common.yes": "Yes",
    "common.no": "No",
  },
  "zh-CN": {
    "app.tagline": "通过 SSH 一步一步安装 OpenStack",
    "app.language": "语言",
    "common.loading": "加载中…",
    "common.yes": "是",
    "common.no": "否",
  },
});
