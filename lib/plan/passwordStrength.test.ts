import { describe, expect, it } from "vitest";
import { translate } from "../i18n/translate";
import { generatePassword, weakPasswordWarning } from "./passwordStrength";

describe("weakPasswordWarning", () => {
  it("flags the tutorial's placeholders, short and one-class passwords", () => {
    expect(weakPasswordWarning("RABBIT_PASS")?.message).toMatch(/placeholders/);
    expect(weakPasswordWarning("Ab1!")?.message).toMatch(/Only 4 characters/);
    expect(weakPasswordWarning("abcdefghijklmnop")?.message).toMatch(/Mix/);
    expect(weakPasswordWarning("correct-Horse-battery-7")).toBeNull();
    expect(weakPasswordWarning("")).toBeNull();
  });

  it("gives a code and params the UI translates", () => {
    expect(weakPasswordWarning("admin")).toMatchObject({ code: "plan.password.guessable", params: {} });
    const short = weakPasswordWarning("Ab1!")!;
    expect(short).toEqual({ code: "plan.password.tooShort", params: { length: 4 }, message: "Only 4 characters: use at least 12, or generate one." });
    expect(translate("zh-CN", short.code, short.params)).toBe("只有 4 个字符：请至少使用 12 个字符，或自动生成一个。");
    const mix = weakPasswordWarning("abcdefghijklmnop")!;
    expect(mix.code).toBe("plan.password.mixClasses");
    expect(translate("zh-CN", mix.code, mix.params)).toBe("请混合使用大小写字母、数字和符号，或自动生成一个。");
  });
});

describe("generatePassword", () => {
  it("gives 24 characters that pass the strength check, different every time", () => {
    const a = generatePassword();
    expect(a).toHaveLength(24);
    expect(generatePassword()).not.toBe(a);
    const passing = Array.from({ length: 50 }, generatePassword).filter((p) => weakPasswordWarning(p) === null).length;
    expect(passing).toBeGreaterThan(45);
  });
});
