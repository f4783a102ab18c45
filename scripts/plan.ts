/**
 * npm run plan -- --plan FILE [--profile NAME] [--scope tutorial|compute] [--format sh|json|plan] [--out DIR]
 *
 * Prints the playbook a plan file produces (--profile and --scope override the file's): per host, the exact bash script (secrets as the
 * tutorial's environment variables), or the playbook as JSON. With --out, writes one file per host. --format plan prints the plan
 * file itself as read (overrides applied, defaults filled in), which this command reads back to the same playbook.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { validatePlan } from "../lib/plan/validatePlan";
import { PROFILES, type ProfileName } from "../lib/plan/profiles";
import { buildPlaybook } from "../lib/playbook/buildPlaybook";
import { planFileOf, planFileSchema, playbookInputFromFile } from "../lib/playbook/planFile";
import { PLAYBOOK_SCOPES, type PlaybookScope } from "../lib/playbook/scope";
import { ALL_SERVICE_SECRETS, type ServiceSecret } from "../lib/playbook/serviceSecrets";
import { renderHostScript } from "../lib/playbook/renderScript";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values } = parseArgs({
  options: { plan: { type: "string" }, profile: { type: "string" }, scope: { type: "string" }, format: { type: "string", default: "sh" }, out: { type: "string" } },
});
if (!values.plan) fail("Usage: npm run plan -- --plan FILE [--profile centos7-train|debian12-zed] [--scope tutorial|compute] [--format sh|json|plan] [--out DIR]");
if (values.format !== "sh" && values.format !== "json" && values.format !== "plan") fail(`--format must be sh, json or plan, not ${values.format}`);
if (values.profile && !(PROFILES as readonly string[]).includes(values.profile)) fail(`--profile must be one of ${PROFILES.join(", ")}`);
if (values.scope && !(PLAYBOOK_SCOPES as readonly string[]).includes(values.scope)) fail(`--scope must be one of ${PLAYBOOK_SCOPES.join(", ")}`);

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(values.plan, "utf8"));
} catch (error) {
  fail(`Cannot read ${values.plan}: ${(error as Error).message}`);
}
const parsed = planFileSchema.safeParse(raw);
if (!parsed.success) fail(`${values.plan} is not a plan file:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
const file = { ...parsed.data, profile: (values.profile as ProfileName | undefined) ?? parsed.data.profile, scope: (values.scope as PlaybookScope | undefined) ?? parsed.data.scope };
const input = playbookInputFromFile(file);

const hostIssues = validatePlan({
  serviceSecrets: Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, true])) as Record<ServiceSecret, boolean>,
  hosts: input.hosts.map((h) => ({ ...h, sshPort: 22, sshUser: "root", authMethod: "password", passwordSet: true, privateKeySet: false })),
  settings: { ...input.options, scope: input.scope, credentialMode: "shared", sharedSshUser: "root", sharedAuthMethod: "password" },
  sharedSecrets: { passwordSet: true, privateKeySet: false },
});
if (hostIssues.length > 0) fail(`The plan has problems:\n${hostIssues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);

const playbook = buildPlaybook(input);
const outputs =
  values.format === "json"
    ? [{ name: "playbook.json", text: `${JSON.stringify({ input, playbook }, null, 2)}\n` }]
    : values.format === "plan"
      ? [{ name: "plan.json", text: `${JSON.stringify(planFileOf(input, file.name), null, 2)}\n` }]
      : input.hosts.map((host) => ({ name: `${host.name}.sh`, text: renderHostScript(playbook, host, input) }));

if (values.out) {
  mkdirSync(values.out, { recursive: true });
  for (const { name, text } of outputs) {
    writeFileSync(path.join(values.out, name), text, { mode: name.endsWith(".sh") ? 0o755 : 0o644 });
    console.log(`wrote ${path.join(values.out, name)}`);
  }
} else {
  process.stdout.write(outputs.map((o) => (outputs.length > 1 ? `#### ${o.name}\n${o.text}` : o.text)).join("\n"));
}
