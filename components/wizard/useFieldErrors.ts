"use client";

import { useCallback, useState } from "react";
import type { PlanIssue } from "@/lib/plan/validatePlan";

/**
 * Which field errors to show: a field's own once the user has left it, all of them once the user
 * tried to go on. Nobody is scolded for a field they have not reached yet.
 */
export function useFieldErrors(issues: PlanIssue[], showAll: boolean) {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const touch = useCallback((path: string) => setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))), []);
  const errorFor = (path: string) => {
    if (!showAll && !touched.has(path)) return undefined;
    return issues.find((issue) => issue.path === path)?.message;
  };
  return { errorFor, touch };
}
