"use client";

import { useCallback, useState } from "react";
import type { PlanIssue } from "@/lib/plan/validatePlan";
import { useI18n } from "../i18n/I18nProvider";

/**
 * Which field errors to show: a field's own once the user has left it, all of them once the user
 * tried to go on. Nobody is scolded for a field they have not reached yet. Errors come in the
 * reader's language (the issue's code and params, never its English message).
 */
export function useFieldErrors(issues: PlanIssue[], showAll: boolean) {
  const { t } = useI18n();
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const touch = useCallback((path: string) => setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))), []);
  const errorFor = (path: string) => {
    if (!showAll && !touched.has(path)) return undefined;
    const issue = issues.find((i) => i.path === path);
    return issue ? t(issue.code, issue.params) : undefined;
  };
  return { errorFor, touch };
}
