"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, queryKeys } from "@/lib/api/apiClient";
import type { PlanSaved, PlanUpdate, PlanView, WizardStep } from "@/lib/plan/planView";
import type { RejectedValue } from "@/lib/plan/rejectedValue";
import { serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import { isSecretSet, parseSshSecretKey, secretFieldPath, sshSecretKey, withSecretFlag, withSecretFlagOf, type CredentialOwner, type SshSecretKind } from "@/lib/plan/secretKeys";

const AUTOSAVE_DELAY_MS = 400;

/** Whether what is typed is stored; "rejected": stored, except values marked at their fields. */
export type SaveState = { status: "idle" | "saving" | "saved" } | { status: "rejected"; count: number } | { status: "error"; message: string };

/** Text a field cannot hold as a plan value (a port that is no number): kept on the page, never sent. */
type HeldText = { text: string; rejection: RejectedValue };

export type PlanDraft = ReturnType<typeof usePlanDraft>;

/**
 * The wizard's working copy of a plan. Every edit is saved shortly after it is made, so nothing
 * typed is lost to a reload or a server restart; secrets typed are sent and then forgotten by the
 * browser (the server only reports that they are set). A value the server refuses stays in its
 * field, is sent again with each save until it is fixed, and is marked with the server's reason;
 * everything else is saved around it. Until then `hasUnsaved()` says so, and leaving the page asks.
 */
export function usePlanDraft(planId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.plan(planId), queryFn: () => api.getPlan(planId) });
  const [draft, setDraft] = useState<PlanView | null>(null);
  const [status, setStatus] = useState<{ status: "idle" | "saving" | "saved" } | { status: "error"; message: string }>({ status: "idle" });
  /** The last save's refusals, addressed to the wizard's fields. */
  const [rejected, setRejected] = useState<RejectedValue[]>([]);
  const [held, setHeld] = useState<Record<string, HeldText>>({});
  const draftRef = useRef<PlanView | null>(null);
  const secretsRef = useRef<Record<string, string>>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const dirty = useRef(false);
  const inFlight = useRef(0);
  /** A replacement of the plan by the server under way (replaceBy): saves wait for it. */
  const replacing = useRef<Promise<unknown> | null>(null);
  // Mirrors of the state above for what runs outside React's render (beforeunload, the leave question).
  const unsavedRef = useRef({ rejected: 0, held: 0, failed: false });

  useEffect(() => {
    if (query.data && !draftRef.current) {
      draftRef.current = query.data;
      setDraft(query.data);
    }
  }, [query.data]);

  /**
   * The plan as the server stores it now. The scripts follow it (scope, hosts, options): the
   * playbook built before is dropped, never shown again, and the next preview or Review builds it anew.
   */
  const storedPlanIs = useCallback(
    (view: PlanView) => {
      queryClient.setQueryData(queryKeys.plan(planId), view);
      queryClient.removeQueries({ queryKey: queryKeys.playbook(planId) });
    },
    [planId, queryClient],
  );

  const mutation = useMutation({
    mutationFn: (update: PlanUpdate) => api.updatePlan(planId, update),
    onSuccess: ({ rejected: _r, ...view }: PlanSaved) => storedPlanIs(view),
  });

  const setDraftTo = (plan: PlanView) => {
    draftRef.current = plan;
    setDraft(plan);
  };

  /**
   * Sends the whole draft (and every typed secret not stored yet) now. True when all of it is
   * stored; false when a value was refused, one is held on the page, or the save failed.
   */
  const save = useCallback(
    async (extra: Partial<PlanUpdate> = {}): Promise<boolean> => {
      // Next clicked while "Use the local lab" is under way: sending the plan it replaces would undo it on the server.
      for (let pending = replacing.current; pending; pending = replacing.current) {
        await pending;
        if (replacing.current === pending) replacing.current = null;
      }
      clearTimeout(timer.current);
      const current = draftRef.current;
      if (!current) return false;
      // An emptied field means "keep what is saved", never "delete it". A removed host's login goes with it.
      const hostIds = new Set(current.hosts.map((h) => h.id));
      const secrets = Object.fromEntries(
        Object.entries(secretsRef.current).filter(([key, value]) => {
          const owner = parseSshSecretKey(key)?.owner;
          return value !== "" && (owner?.scope !== "host" || hostIds.has(owner.hostId));
        }),
      );
      dirty.current = false;
      inFlight.current++;
      setStatus({ status: "saving" });
      try {
        const answer = await mutation.mutateAsync({
          name: current.name,
          profile: current.profile,
          settings: current.settings,
          hosts: current.hosts.map(({ passwordSet: _p, privateKeySet: _k, hostKeyFingerprint: _f, hostKeyPinnedAt: _a, ...host }) => host),
          secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
          ...extra,
        });
        // Stored: the browser lets go of those values, only "set" remains. Refused: kept, to send again once fixed.
        const refusedKeys = new Set(answer.rejected.map((r) => r.path).filter((path) => path in secrets));
        secretsRef.current = Object.fromEntries(
          Object.entries(secretsRef.current).filter(([key, value]) => !(key in secrets) || value !== secrets[key] || refusedKeys.has(key)),
        );
        // A refused secret is not set: the page's checks say so again (unless typed over since).
        let plan = draftRef.current ?? current;
        for (const key of refusedKeys) if (secretsRef.current[key] === secrets[key]) plan = withSecretFlagOf(plan, key, answer);
        setDraftTo(plan);
        const fieldRejections = answer.rejected.map((r) => ({ ...r, path: r.path in secrets ? (secretFieldPath(r.path, plan) ?? r.path) : r.path }));
        unsavedRef.current = { ...unsavedRef.current, rejected: fieldRejections.length, failed: false };
        setRejected(fieldRejections);
        setStatus({ status: "saved" });
        return fieldRejections.length === 0 && unsavedRef.current.held === 0;
      } catch (error) {
        dirty.current = true;
        unsavedRef.current = { ...unsavedRef.current, failed: true };
        setStatus({ status: "error", message: (error as Error).message });
        return false;
      } finally {
        inFlight.current--;
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
      setDraftTo(change(draftRef.current));
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

  /** Records a typed service password (RABBIT_PASS …), like setSecret. */
  const setServiceSecret = useCallback(
    (name: ServiceSecret, value: string) => {
      secretsRef.current = { ...secretsRef.current, [serviceSecretKey(name)]: value };
      const savedBefore = query.data?.serviceSecrets[name] ?? false;
      update((plan) => ({ ...plan, serviceSecrets: { ...plan.serviceSecrets, [name]: value !== "" || savedBefore } }));
    },
    [update, query.data],
  );

  /**
   * Lets go of typed secrets whose fields the user took off the page (another login method, or
   * shared/per-host logins): they are no longer sent, nor reported as not saved.
   */
  const forgetSecrets = useCallback(
    (keys: string[]) => {
      const current = draftRef.current;
      const typedKeys = keys.filter((key) => key in secretsRef.current);
      if (!current || typedKeys.length === 0) return;
      secretsRef.current = Object.fromEntries(Object.entries(secretsRef.current).filter(([key]) => !typedKeys.includes(key)));
      const stored = query.data ?? current;
      setDraftTo(typedKeys.reduce((plan, key) => withSecretFlagOf(plan, key, stored), current));
      const gone = new Set(typedKeys.map((key) => secretFieldPath(key, current)));
      setRejected((before) => {
        const left = before.filter((r) => !gone.has(r.path));
        unsavedRef.current = { ...unsavedRef.current, rejected: left.length };
        return left;
      });
    },
    [query.data],
  );

  /** Keeps text a field cannot save (with why), or lets it go once the field holds a value again. */
  const hold = useCallback((key: string, value: HeldText | null) => {
    setHeld((before) => {
      const { [key]: _old, ...rest } = before;
      const next = value ? { ...rest, [key]: value } : rest;
      unsavedRef.current = { ...unsavedRef.current, held: Object.keys(next).length };
      return next;
    });
  }, []);

  /** Takes a plan the server changed (e.g. "Use the local lab") as the new working copy. */
  const replace = useCallback(
    (view: PlanView) => {
      clearTimeout(timer.current);
      dirty.current = false;
      secretsRef.current = {};
      unsavedRef.current = { rejected: 0, held: 0, failed: false };
      setRejected([]);
      setHeld({});
      setDraftTo(view);
      storedPlanIs(view);
      setStatus({ status: "saved" });
    },
    [storedPlanIs],
  );

  /**
   * Saves what was typed, then lets the server change the plan (e.g. "Use the local lab") and takes
   * its answer as the working copy. A save asked for meanwhile (Next, the step indicator) waits and
   * sends the new plan, never the one being replaced.
   */
  const replaceBy = useCallback(
    (change: () => Promise<PlanView>): Promise<PlanView> => {
      const work = save().then(change).then((view) => {
        replace(view);
        return view;
      });
      replacing.current = work.catch(() => undefined);
      return work;
    },
    [save, replace],
  );

  const saveWithStep = useCallback((wizardStep: WizardStep) => save({ wizardStep }), [save]);

  /** Something typed on this page is not stored: waiting to be sent, refused, held, or its save failed. */
  const hasUnsaved = useCallback(() => {
    const { rejected: refused, held: kept, failed } = unsavedRef.current;
    return dirty.current || inFlight.current > 0 || refused > 0 || kept > 0 || failed;
  }, []);
  /** How many fields show a value that is not stored (refused or held). */
  const unsavedCount = useCallback(() => unsavedRef.current.rejected + unsavedRef.current.held, []);

  // Closing the tab or reloading with something unsaved: the browser asks first. Saying yes still sends what can be saved.
  useEffect(() => {
    const ask = (event: BeforeUnloadEvent) => {
      if (!hasUnsaved()) return;
      event.preventDefault();
      event.returnValue = "";
    };
    const flush = () => {
      if (dirty.current) void save();
    };
    window.addEventListener("beforeunload", ask);
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("beforeunload", ask);
      window.removeEventListener("pagehide", flush);
    };
  }, [save, hasUnsaved]);

  const notStored = rejected.length + Object.keys(held).length;
  const saveState: SaveState = status.status === "saving" || status.status === "error" || notStored === 0 ? status : { status: "rejected", count: notStored };

  return { query, draft, saveState, rejected, held, update, setSecret, setServiceSecret, forgetSecrets, hold, save, saveWithStep, replaceBy, hasUnsaved, unsavedCount };
}
