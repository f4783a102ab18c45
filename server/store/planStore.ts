import { randomUUID } from "node:crypto";
import {
  planSettingsSchema,
  type HostInput,
  type HostView,
  type PlanUpdate,
  type PlanView,
  type WizardStep,
} from "@/lib/plan/planView";
import { rejectedValue, type RejectedValue, type RejectionCode } from "@/lib/plan/rejectedValue";
import { parseSshSecretKey, sshSecretKey, type CredentialOwner } from "@/lib/plan/secretKeys";
import { ALL_SERVICE_SECRETS, serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import { NEW_PLAN_SCOPE } from "@/lib/playbook/scope";
import { tutorialHosts } from "@/lib/plan/tutorialTopology";
import type { PrismaClient } from "../db/client";
import type { Host, Plan, PlanImage, Secret } from "../generated/prisma/client";
import type { SecretBox } from "../secrets/secretBox";
import type { HostKeyPinStore } from "../ssh/hostKeyPins";
import { secretProblem } from "../ssh/secretRules";
import { imageView } from "./imageStore";

/** A value the server refuses to save, addressed to a form field like validation issues are. */
export class PlanUpdateError extends Error {
  override readonly name = "PlanUpdateError";
  readonly rejected: RejectedValue;
  constructor(path: string, code: RejectionCode, params: RejectedValue["params"] = {}) {
    const rejected = rejectedValue(path, code, params);
    super(rejected.message);
    this.rejected = rejected;
  }

  get path(): string {
    return this.rejected.path;
  }
}

/** A save of the wizard: the plan as stored now, and the values that were not saved (the rest was). */
export type DraftSaved = { plan: PlanView; rejected: RejectedValue[] };

/**
 * A plan with its secrets opened, for a job (which makes its SSH logins and pins from it, see
 * ssh/hostAccess.ts). Lives in server memory only.
 */
export type PlanForRun = {
  view: PlanView;
  /** Every secret of the plan that is set, by key (see lib/plan/secretKeys.ts), opened. */
  secrets: ReadonlyMap<string, string>;
  /** The tutorial's service passwords that are set. */
  serviceSecrets: Partial<Record<ServiceSecret, string>>;
  /** Every secret value of the plan, for masking in logs and messages. */
  secretValues: string[];
  /** When each secret was last set (by key), so a run can tell a changed password without knowing it. */
  secretsSetAt: Record<string, string>;
};

type PlanRow = Plan & { hosts: Host[]; secrets: Pick<Secret, "key">[]; image: PlanImage | null };

/**
 * Plans, their hosts and their secrets in SQLite. Secret values go in, never out (except to a run
 * and to the masking of what leaves the server). They are stored sealed (AES-256-GCM, see
 * secrets/secretBox.ts) and opened only here.
 */
export class PlanStore implements HostKeyPinStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  async createTutorialPlan(): Promise<PlanView> {
    const id = randomUUID();
    await this.db.plan.create({
      data: {
        id,
        name: "OpenStack tutorial (ct, c1, c2)",
        profile: "centos7-train",
        settings: JSON.stringify(planSettingsSchema.parse({ scope: NEW_PLAN_SCOPE })),
        hosts: { create: tutorialHosts(randomUUID).map((host, position) => ({ ...host, position })) },
      },
    });
    return (await this.get(id))!;
  }

  async latest(): Promise<PlanView | null> {
    const plan = await this.db.plan.findFirst({ orderBy: { updatedAt: "desc" }, select: { id: true } });
    return plan ? this.get(plan.id) : null;
  }

  async get(id: string): Promise<PlanView | null> {
    const plan = await this.db.plan.findUnique({
      where: { id },
      include: { hosts: { orderBy: { position: "asc" } }, secrets: { select: { key: true } }, image: true },
    });
    return plan ? toPlanView(plan) : null;
  }

  /** Saves all of an update or nothing: a value the rules refuse fails the whole save (scripts, tests, the local lab). */
  async update(id: string, update: PlanUpdate): Promise<PlanView> {
    return (await this.write(id, update, "all-or-nothing")).plan;
  }

  /**
   * The wizard's save: every value that is valid is saved, secrets included, and each one that is
   * not is left out and named (by path, never by value), so one bad password does not cost the
   * others. The wizard keeps the refused values in their fields.
   */
  async saveDraft(id: string, update: PlanUpdate): Promise<DraftSaved> {
    return this.write(id, update, "what-is-valid");
  }

  private async write(id: string, update: PlanUpdate, mode: "all-or-nothing" | "what-is-valid"): Promise<DraftSaved> {
    const rejected: RejectedValue[] = [];
    /** A refused value fails the whole save, or is left out and reported. */
    const refuse = (error: PlanUpdateError) => {
      if (mode === "all-or-nothing") throw error;
      rejected.push(error.rejected);
    };
    const unlessRefused = <T>(check: () => T): T | undefined => {
      try {
        return check();
      } catch (error) {
        if (!(error instanceof PlanUpdateError)) throw error;
        refuse(error);
        return undefined;
      }
    };
    const secrets = Object.entries(update.secrets ?? {}).flatMap(([key, value]) => unlessRefused(() => checkSecret(key, value)) ?? []);
    await this.db.$transaction(async (tx) => {
      const plan = await tx.plan.findUnique({ where: { id }, include: { hosts: { select: { id: true } } } });
      if (!plan) throw new PlanUpdateError("plan", "plan.rejected.planMissing");
      await tx.plan.update({
        where: { id },
        data: {
          name: update.name,
          profile: update.profile,
          wizardStep: update.wizardStep,
          settings: update.settings ? JSON.stringify(update.settings) : undefined,
        },
      });
      let hostIds = new Set(plan.hosts.map((h) => h.id));
      if (update.hosts) {
        await replaceHosts(tx, id, update.hosts);
        hostIds = new Set(update.hosts.map((h) => h.id));
        // A removed host's credentials go with it.
        const orphans = [...plan.hosts.map((h) => h.id)].filter((hostId) => !hostIds.has(hostId));
        for (const hostId of orphans) await tx.secret.deleteMany({ where: { planId: id, key: { startsWith: `ssh.host.${hostId}.` } } });
      }
      for (const { key, value } of secrets) {
        const owner = parseSshSecretKey(key)?.owner;
        if (owner?.scope === "host" && !hostIds.has(owner.hostId)) {
          refuse(new PlanUpdateError(key, "plan.rejected.secretHostMissing"));
          continue;
        }
        if (value === null) await tx.secret.deleteMany({ where: { planId: id, key } });
        else {
          const sealed = this.box.seal(value, { planId: id, key });
          await tx.secret.upsert({ where: { planId_key: { planId: id, key } }, create: { planId: id, key, value: sealed }, update: { value: sealed } });
        }
      }
    });
    return { plan: (await this.get(id))!, rejected };
  }

  async setWizardStep(id: string, wizardStep: WizardStep): Promise<void> {
    await this.db.plan.update({ where: { id }, data: { wizardStep } });
  }

  async loadForRun(id: string): Promise<PlanForRun | null> {
    const view = await this.get(id);
    if (!view) return null;
    const rows = (await this.db.secret.findMany({ where: { planId: id } })).map((row) => ({ ...row, value: this.box.open(row.value, row) }));
    const secrets = new Map(rows.map((row) => [row.key, row.value]));
    const serviceSecrets: Partial<Record<ServiceSecret, string>> = {};
    for (const name of ALL_SERVICE_SECRETS) {
      const value = secrets.get(serviceSecretKey(name));
      if (value !== undefined) serviceSecrets[name] = value;
    }
    return {
      view,
      secrets,
      serviceSecrets,
      secretValues: rows.map((row) => row.value),
      secretsSetAt: Object.fromEntries(rows.map((row) => [row.key, row.updatedAt.toISOString()])),
    };
  }

  /** Pins a host's key unless one is pinned already (trust on first use); answers the pin in force. */
  async pinHostKey(planId: string, hostId: string, fingerprint: string): Promise<string | null> {
    await this.db.host.updateMany({ where: { id: hostId, planId, hostKeyFingerprint: null }, data: { hostKeyFingerprint: fingerprint, hostKeyPinnedAt: new Date() } });
    const host = await this.db.host.findFirst({ where: { id: hostId, planId }, select: { hostKeyFingerprint: true } });
    return host?.hostKeyFingerprint ?? null;
  }

  /**
   * "Trust the new key": the operator replaces a host's pinned key (after reinstalling it).
   * Null when the plan has no such host.
   */
  async trustHostKey(planId: string, hostId: string, fingerprint: string): Promise<PlanView | null> {
    const { count } = await this.db.host.updateMany({ where: { id: hostId, planId }, data: { hostKeyFingerprint: fingerprint, hostKeyPinnedAt: new Date() } });
    return count === 0 ? null : this.get(planId);
  }

  /** Every secret value of a plan, to mask them in what leaves the server (the install report). */
  async secretValues(planId: string): Promise<string[]> {
    const rows = await this.db.secret.findMany({ where: { planId } });
    return rows.map((row) => this.box.open(row.value, row));
  }
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

async function replaceHosts(tx: Tx, planId: string, hosts: HostInput[]) {
  const ids = hosts.map((h) => h.id);
  if (new Set(ids).size !== ids.length || (await tx.host.count({ where: { id: { in: ids }, planId: { not: planId } } })) > 0) {
    throw new PlanUpdateError("hosts", "plan.rejected.hostIds");
  }
  await tx.host.deleteMany({ where: { planId, id: { notIn: ids } } });
  const before = new Map((await tx.host.findMany({ where: { planId }, select: { id: true, managementIp: true, sshPort: true } })).map((h) => [h.id, h]));
  for (const [position, host] of hosts.entries()) {
    // Only what the user enters: a caller's object may carry a view's extra fields (the pin is the server's).
    const { id, name, role, managementIp, natIp, sshPort, sshUser, authMethod } = host;
    const data = { id, name, role, managementIp, natIp, sshPort, sshUser, authMethod, position, planId };
    // A pinned key belongs to the address it was seen at: another address or port is another machine.
    const was = before.get(host.id);
    const moved = was !== undefined && (was.managementIp.trim() !== host.managementIp.trim() || was.sshPort !== host.sshPort);
    await tx.host.upsert({ where: { id: host.id }, create: data, update: moved ? { ...data, hostKeyFingerprint: null, hostKeyPinnedAt: null } : data });
  }
}

/** A secret of a save, or the field at fault (the rules are beside the SSH code: ssh/secretRules.ts). */
function checkSecret(key: string, value: string | null): { key: string; value: string | null } {
  const problem = secretProblem(key, value);
  if (problem) throw new PlanUpdateError(problem.path, problem.code, problem.params);
  return { key, value: value === "" ? null : value };
}

function toPlanView(plan: PlanRow): PlanView {
  const setKeys = new Set(plan.secrets.map((s) => s.key));
  const flags = (owner: CredentialOwner) => ({
    passwordSet: setKeys.has(sshSecretKey(owner, "password")),
    privateKeySet: setKeys.has(sshSecretKey(owner, "privateKey")),
  });
  const hosts: HostView[] = plan.hosts.map((h) => ({
    id: h.id,
    name: h.name,
    role: h.role as HostView["role"],
    managementIp: h.managementIp,
    natIp: h.natIp,
    sshPort: h.sshPort,
    sshUser: h.sshUser,
    authMethod: h.authMethod as HostView["authMethod"],
    ...flags({ scope: "host", hostId: h.id }),
    hostKeyFingerprint: h.hostKeyFingerprint,
    hostKeyPinnedAt: h.hostKeyPinnedAt?.toISOString() ?? null,
  }));
  return {
    id: plan.id,
    name: plan.name,
    profile: plan.profile as PlanView["profile"],
    wizardStep: plan.wizardStep as WizardStep,
    settings: planSettingsSchema.parse(JSON.parse(plan.settings)),
    sharedSecrets: flags({ scope: "shared" }),
    serviceSecrets: Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, setKeys.has(serviceSecretKey(name))])) as Record<ServiceSecret, boolean>,
    hosts,
    uploadedImage: plan.image && imageView(plan.image),
    updatedAt: plan.updatedAt.toISOString(),
  };
}
