"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, queryKeys } from "@/lib/api/apiClient";
import type { PlanUpdate, PlanView, WizardStep } from "@/lib/plan/planView";
import { serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import { isSecretSet, sshSecretKey, withSecretFlag, type CredentialOwner, type SshSecretKind } from "@/lib/plan/secretKeys";

const AUTOSAVE_DELAY_MS = 400;

export type SaveState = { status: "idle" | "saving" | "saved" } | { status: "error"; message: string; path?: string };

/**
 * The wizard's working copy of a plan. Every edit is saved shortly after it is made, so nothing
 * typed is lost to a reload or a server restart; secrets typed are sent once and then forgotten
 * by the browser (the server only reports that they are set).
 */
export function usePlanDraft(planId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.plan(planId), queryFn: () => api.getPlan(planId) });
  const [draft, setDraft] = useState<PlanView | null>(null);
  const [saveState, setSaveState] = useState<SaveState>({ status: "idle" });
  const draftRef = useRef<PlanView | null>(null);
  const secretsRef = useRef<Record<string, string>>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const dirty = useRef(false);

  useEffect(() => {
    if (query.data && !draftRef.current) {
      draftRef.current = query.data;
      setDraft(query.data);
    }
  }, [query.data]);

  const mutation = useMutation({
    mutationFn: (update: PlanUpdate) => api.updatePlan(planId, update),
    onSuccess: (view) => queryClient.setQueryData(queryKeys.plan(planId), view),
  });

  /** Sends the whole draft (and any typed secrets) now. */
  const save = useCallback(
    async (extra: Partial<PlanUpdate> = {}): Promise<boolean> => {
      clearTimeout(timer.current);
      const current = draftRef.current;
      if (!current) return false;
      // An emptied field means "keep what is saved", never "delete it".
      const secrets = Object.fromEntries(Object.entries(secretsRef.current).filter(([, value]) => value !== ""));
      dirty.current = false;
      setSaveState({ status: "saving" });
      try {
        await mutation.mutateAsync({
          name: current.name,
          profile: current.profile,
          settings: current.settings,
          hosts: current.hosts.map(({ passwordSet: _p, privateKeySet: _k, ...host }) => host),
          secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
          ...extra,
        });
        // Sent: the browser lets go of the values; only "set" remains.
        const sent = new Set(Object.keys(secrets));
        secretsRef.current = Object.fromEntries(Object.entries(secretsRef.current).filter(([k, v]) => !sent.has(k) || v !== secrets[k]));
        setSaveState({ status: "saved" });
        return true;
      } catch (error) {
        dirty.current = true;
        const e = error as Error & { path?: string };
        setSaveState({ status: "error", message: e.message, path: e.path });
        return false;
      }
    },
    [mutation],
  );

  const scheduleSave = useCallback(() => {
    dirty.current = true;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  }, [save]);

  const update = useCallback(
    (change: (plan: PlanView) => PlanView) => {
      if (!draftRef.current) return;
      draftRef.current = change(draftRef.current);
      setDraft(draftRef.current);
      scheduleSave();
    },
    [scheduleSave],
  );

  /** Records a typed secret; the draft's "is set" flag follows it so validation sees it. */
  const setSecret = useCallback(
    (owner: CredentialOwner, kind: SshSecretKind, value: string) => {
      secretsRef.current = { ...secretsRef.current, [sshSecretKey(owner, kind)]: value };
      const savedBefore = query.data ? isSecretSet(query.data, owner, kind) : false;
      update((plan) => withSecretFlag(plan, owner, kind, value !== "" || savedBefore));
    },
    [update, query.data],
  );

  /** Takes a plan the server changed (e.g. "Use the local lab") as the new working copy. */
  const replace = useCallback(
    (view: PlanView) => {
      clearTimeout(timer.current);
      dirty.current = false;
      secretsRef.current = {};
      draftRef.current = view;
      setDraft(view);
      queryClient.setQueryData(queryKeys.plan(planId), view);
      setSaveState({ status: "saved" });
    },
    [planId, queryClient],
  );

  /** Records a typed service password (RABBIT_PASS …), like setSecret. */
  const setServiceSecret = useCallback(
    (name: ServiceSecret, value: string) => {
      secretsRef.current = { ...secretsRef.current, [serviceSecretKey(name)]: value };
      const savedBefore = query.data?.serviceSecrets[name] ?? false;
      update((plan) => ({ ...plan, serviceSecrets: { ...plan.serviceSecrets, [name]: value !== "" || savedBefore } }));
    },
    [update, query.data],
  );

  const saveWithStep = useCallback((wizardStep: WizardStep) => save({ wizardStep }), [save]);

  // Leaving the page with unsaved edits: save them on the way out.
  useEffect(() => {
    const flush = () => {
      if (dirty.current) void save();
    };
    window.addEventListener("pagehide", flush);
    return () => window.removeEventListener("pagehide", flush);
  }, [save]);

  return { query, draft, saveState, update, setSecret, setServiceSecret, save, saveWithStep, replace };
}
