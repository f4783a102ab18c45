import { describe, expect, it } from "vitest";
import { pickLocale } from "./locale";
import { MESSAGES } from "./messages";
import { translate } from "./translate";

describe("pickLocale", () => {
  it("keeps the language chosen before", () => {
    expect(pickLocale("zh-CN", "en-US,en;q=0.9")).toBe("zh-CN");
    expect(pickLocale("en", "zh-CN,zh;q=0.9")).toBe("en");
  });

  it("follows the browser otherwise: any Chinese is zh-CN, by preference order", () => {
    expect(pickLocale(undefined, "zh-TW,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(pickLocale(undefined, "fr-FR,en;q=0.5,zh;q=0.7")).toBe("zh-CN");
    expect(pickLocale("klingon", "de-DE,en-GB;q=0.8")).toBe("en");
    expect(pickLocale(null, ["zh-CN", "en"])).toBe("zh-CN");
    expect(pickLocale(null, "de-DE")).toBe("en");
    expect(pickLocale(null, null)).toBe("en");
  });
});

describe("translate", () => {
  it("fills placeholders and has every text in both languages", () => {
    expect(translate("zh-CN", "app.language")).toBe("语言");
    expect(Object.keys(MESSAGES["zh-CN"]).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(MESSAGES["zh-CN"])) {
      expect(text, key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(MESSAGES.en[key as keyof typeof MESSAGES.en]));
    }
  });
});
