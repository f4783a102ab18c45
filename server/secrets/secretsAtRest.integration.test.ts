import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanView } from "@/lib/plan/planView";
import { sshSecretKey } from "@/lib/plan/secretKeys";
import { ALL_SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import { createAppContext, type AppContext } from "../context";
import { applyMigrations } from "../db/migrate";
import { env } from "../env";
import { hostilePassword } from "../testing/loopbackSshd";
import { hostAccessFor } from "../ssh/hostAccess";
import { createTestContext } from "../testing/testContext";
import { SecretBox, SecretBoxError } from "./secretBox";
import { SecretKeyError } from "./secretKeyFile";

/** Every byte SQLite keeps for the database: the file, its write-ahead log and shared memory. */
function databaseBytes(dataDir: string): Buffer {
  return Buffer.concat(
    readdirSync(dataDir)
      .filter((name) => name.startsWith("stackpilot.db"))
      .map((name) => readFileSync(path.join(dataDir, name))),
  );
}

/** Values that must not be found in the database files: each whole, and its distinctive part. */
function needles(values: string[]): string[] {
  return values.flatMap((value) => [value, value.slice(-12)]);
}

const privateKey = ssh2.utils.generateKeyPairSync("ed25519").private;

/** A hostile value per secret of the plan (quotes, dollars, backslashes, non-ASCII), keyed by secret name. */
function hostileSecrets(plan: PlanView): Record<string, string> {
  const [ct, c1, c2] = plan.hosts;
  return {
    [sshSecretKey({ scope: "shared" }, "password")]: hostilePassword(),
    [sshSecretKey({ scope: "host", hostId: ct.id }, "password")]: `${hostilePassword()} ü密`,
    [sshSecretKey({ scope: "host", hostId: c1.id }, "privateKey")]: privateKey,
    [sshSecretKey({ scope: "host", hostId: c2.id }, "password")]: hostilePassword(),
    ...Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [serviceSecretKey(name), `${name} ${hostilePassword()}`])),
  };
}

async function savePlan(ctx: AppContext, secrets: (plan: PlanView) => Record<string, string> = hostileSecrets) {
  const plan = await ctx.plans.createTutorialPlan();
  const values = secrets(plan);
  const hosts = plan.hosts.map(({ passwordSet: _p, privateKeySet: _k, ...h }, i) => ({ ...h, authMethod: i === 1 ? ("key" as const) : ("password" as const) }));
  await ctx.plans.update(plan.id, { settings: { ...plan.settings, credentialMode: "perHost" }, hosts, secrets: values });
  return { plan, values };
}

describe("secrets at rest", () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.dispose());

  it("stores none of a plan's secret values in the SQLite files, and loadForRun still returns them", async () => {
    const { plan, values } = await savePlan(ctx);
    const bytes = databaseBytes(ctx.env.dataDir);
    for (const needle of needles(Object.values(values))) expect(bytes.includes(Buffer.from(needle, "utf8")), `found ${JSON.stringify(needle)}`).toBe(false);
    // A private key's body lines would show as well.
    for (const line of privateKey.split("\n").filter((l) => l.length > 40)) expect(bytes.includes(Buffer.from(line))).toBe(false);

    const rows = await ctx.db.secret.findMany({ where: { planId: plan.id } });
    expect(rows).toHaveLength(Object.keys(values).length);
    expect(rows.every((row) => SecretBox.isSealed(row.value))).toBe(true);

    const forRun = (await ctx.plans.loadForRun(plan.id))!;
    const [ct, c1, c2] = plan.hosts;
    // The logins a job makes from it (as a deployment and a host check do).
    const { targets } = hostAccessFor(forRun, ctx.plans);
    expect(targets.get(ct.id)!.password).toBe(values[sshSecretKey({ scope: "host", hostId: ct.id }, "password")]);
    expect(targets.get(c1.id)!.privateKey).toBe(privateKey);
    expect(targets.get(c2.id)!.password).toBe(values[sshSecretKey({ scope: "host", hostId: c2.id }, "password")]);
    for (const name of ALL_SERVICE_SECRETS) expect(forRun.serviceSecrets[name]).toBe(values[serviceSecretKey(name)]);
    expect(new Set(forRun.secretValues)).toEqual(new Set(Object.values(values)));
    expect(await ctx.plans.secretValues(plan.id)).toHaveLength(Object.keys(values).length);

    // The API's view still only says "set".
    const view = JSON.stringify(await ctx.plans.get(plan.id));
    for (const value of Object.values(values)) expect(view).not.toContain(value);
  });

  it("made the key file 0600 in DATA_DIR", () => {
    const keyFile = path.join(ctx.env.dataDir, "secret.key");
    expect(ctx.secrets.keyFile).toBe(keyFile);
    expect(ctx.secrets.keyCreated).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile).size).toBe(32);
  });

  it("refuses a sealed value moved to another row (another secret, another plan)", async () => {
    const a = await savePlan(ctx);
    const b = await savePlan(ctx);
    const adminA = await ctx.db.secret.findUniqueOrThrow({ where: { planId_key: { planId: a.plan.id, key: serviceSecretKey("ADMIN_PASS") } } });
    // Plan A's ADMIN_PASS copied over plan A's RABBIT_PASS: the ciphertext is valid, but for another row.
    await ctx.db.secret.update({ where: { planId_key: { planId: a.plan.id, key: serviceSecretKey("RABBIT_PASS") } }, data: { value: adminA.value } });
    await expect(ctx.plans.loadForRun(a.plan.id)).rejects.toThrow(SecretBoxError);
    // Copied to plan B's ADMIN_PASS: same name, other plan.
    await ctx.db.secret.update({ where: { planId_key: { planId: b.plan.id, key: serviceSecretKey("ADMIN_PASS") } }, data: { value: adminA.value } });
    await expect(ctx.plans.loadForRun(b.plan.id)).rejects.toThrow(/ADMIN_PASS" does not decrypt/);
    await ctx.db.secret.deleteMany({ where: { planId: { in: [a.plan.id, b.plan.id] } } });
  });
});

describe("the start-up step on an existing database", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function dataDir() {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-secrets-"));
    dirs.push(dir);
    const settings = { ...env(), dataDir: dir, databaseFile: path.join(dir, "stackpilot.db") };
    applyMigrations(settings.databaseFile, path.resolve("prisma/migrations"));
    return settings;
  }
  const storedSecrets = (databaseFile: string) => {
    const db = new Database(databaseFile, { readonly: true });
    try {
      return db.prepare("SELECT planId, key, value, updatedAt FROM Secret ORDER BY key").all() as { planId: string; key: string; value: string; updatedAt: number }[];
    } finally {
      db.close();
    }
  };

  it("seals the plain-text secrets an older version stored, keeps when they were set, and leaves sealed rows alone", async () => {
    const settings = dataDir();
    // What an older StackPilot left: a plan with its secrets in plain text.
    const old = await createAppContext(settings);
    const { plan, values } = await savePlan(old);
    await old.close();
    rmSync(path.join(settings.dataDir, "secret.key"));
    const raw = new Database(settings.databaseFile);
    const update = raw.prepare("UPDATE Secret SET value = ? WHERE planId = ? AND key = ?");
    for (const [key, value] of Object.entries(values)) update.run(value, plan.id, key);
    raw.close();
    const setAt = storedSecrets(settings.databaseFile).map((row) => row.updatedAt);
    expect(databaseBytes(settings.dataDir).includes(Buffer.from(values[serviceSecretKey("ADMIN_PASS")]))).toBe(true);

    const upgraded = await createAppContext(settings);
    expect(upgraded.secrets).toMatchObject({ keyCreated: true, sealedNow: Object.keys(values).length });
    const forRun = (await upgraded.plans.loadForRun(plan.id))!;
    for (const name of ALL_SERVICE_SECRETS) expect(forRun.serviceSecrets[name]).toBe(values[serviceSecretKey(name)]);
    await upgraded.close();

    const sealed = storedSecrets(settings.databaseFile);
    expect(sealed.every((row) => SecretBox.isSealed(row.value))).toBe(true);
    expect(sealed.map((row) => row.updatedAt)).toEqual(setAt);
    const bytes = databaseBytes(settings.dataDir);
    for (const needle of needles(Object.values(values))) expect(bytes.includes(Buffer.from(needle, "utf8")), `found ${JSON.stringify(needle)}`).toBe(false);

    // Again: nothing to do, every sealed row stays as it is.
    const again = await createAppContext(settings);
    expect(again.secrets).toMatchObject({ keyCreated: false, sealedNow: 0 });
    await again.close();
    expect(storedSecrets(settings.databaseFile)).toEqual(sealed);
  });

  it("stops with a clear message, and changes nothing, when the key file is missing or is another key", async () => {
    const settings = dataDir();
    const keyFile = path.join(settings.dataDir, "secret.key");
    const first = await createAppContext(settings);
    const { plan } = await savePlan(first);
    await first.close();
    const before = storedSecrets(settings.databaseFile);
    const key = readFileSync(keyFile);

    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    const wrong = createAppContext(settings);
    await expect(wrong).rejects.toThrow(SecretKeyError);
    await expect(wrong).rejects.toThrow(`The key file ${keyFile} does not decrypt the ${before.length} secrets stored in ${settings.databaseFile}: it is not the key they were encrypted with.`);

    rmSync(keyFile);
    const missing = createAppContext(settings);
    await expect(missing).rejects.toThrow(`The database holds ${before.length} encrypted secrets, but their key file ${keyFile} is missing.`);
    expect(existsSync(keyFile)).toBe(false);
    expect(storedSecrets(settings.databaseFile)).toEqual(before);

    // The right key back: everything is there.
    writeFileSync(keyFile, key, { mode: 0o600 });
    const restored = await createAppContext(settings);
    expect((await restored.plans.loadForRun(plan.id))!.secretValues).toHaveLength(before.length);
    await restored.close();
  });
});
