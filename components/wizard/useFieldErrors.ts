"use client";

import { useCallback, useState } from "react";
import type { RejectedValue } from "@/lib/plan/rejectedValue";
import type { PlanIssue } from "@/lib/plan/validatePlan";
import { useI18n } from "../i18n/I18nProvider";

/**
 * Which field errors to show: a value the save refused at once (it is not stored, whatever the
 * user does next); a rule the plan breaks once the user has left the field, or for all fields once
 * the user tried to go on. Nobody is scolded for a field they have not reached yet. Errors come in
 * the reader's language (the code and params, never the English message).
 */
export function useFieldErrors(issues: PlanIssue[], showAll: boolean, rejected: RejectedValue[] = []) {
  const { t } = useI18n();
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const touch = useCallback((path: string) => setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))), []);
  const errorFor = (path: string) => {
    const refused = rejected.find((r) => r.path === path);
    if (refused) return t(refused.code, refused.params);
    if (!showAll && !touched.has(path)) return undefined;
    const issue = issues.find((i) => i.path === path);
    return issue ? t(issue.code, issue.params) : undefined;
  };
  return { errorFor, touch };
}
