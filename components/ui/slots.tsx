import { Fragment, type ReactNode } from "react";

/**
 * Puts elements into a translated text at its {placeholders}: each language keeps its own word
 * order ("Start … with {command} and …" / "运行 {command} 启动…"). Placeholders without a slot stay as typed.
 */
export function fillSlots(text: string, slots: Record<string, ReactNode>): ReactNode {
  const parts = text.split(/\{(\w+)\}/g);
  return parts.map((part, i) => (i % 2 === 1 && part in slots ? <Fragment key={i}>{slots[part]}</Fragment> : i % 2 === 1 ? `{${part}}` : part));
}
