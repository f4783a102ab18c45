"use client";

import { useI18n } from "../i18n/I18nProvider";
import { FOCUS_RING } from "../ui/styles";
import type { SaveState } from "./usePlanDraft";

/** Tells the user whether what they typed is safely stored. */
export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { t } = useI18n();
  if (state.status === "error") {
    return (
      <p role="alert" className="text-sm text-red-700">
        {t("wizard.save.notSaved", { error: state.message })}{" "}
        <button type="button" onClick={onRetry} className={`rounded underline ${FOCUS_RING}`}>
          {t("wizard.save.retry")}
        </button>
      </p>
    );
  }
  if (state.status === "rejected") {
    return (
      <p role="alert" className="text-sm text-red-700">
        {t(state.count === 1 ? "wizard.save.rejected.one" : "wizard.save.rejected.other", { count: state.count })}
      </p>
    );
  }
  const text = { idle: "", saving: t("wizard.save.saving"), saved: t("wizard.save.saved") }[state.status];
  return (
    <p aria-live="polite" className="text-sm text-slate-600">
      {text}
    </p>
  );
}
