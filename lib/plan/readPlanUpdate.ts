import type { z } from "zod";
import { planUpdateSchema, type HostInput, type PlanUpdate, type PlanView } from "./planView";
import { rejectedValue, type RejectedValue } from "./rejectedValue";
import { shownValue } from "./validatePlan";

/** What a host that is not stored yet gets for a field whose typed value cannot be saved. */
const NEW_HOST: Omit<HostInput, "id"> = { name: "", role: "compute", managementIp: "", natIp: "", sshPort: 22, sshUser: "root", authMethod: "password" };

type Body = Record<string, unknown> & { settings?: Record<string, unknown>; hosts?: unknown[]; secrets?: Record<string, unknown> };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads the wizard's save request one field at a time: a value that does not fit its field (too
 * long, a port that is no number, a NUL) is left out of the save and named, and every other field
 * is saved. A field left out keeps what is stored (a new host: a blank). Only a body that is not a
 * plan update at all is refused as a whole.
 */
export function readPlanUpdate(input: unknown, stored: Pick<PlanView, "settings" | "hosts">): { update: PlanUpdate; rejected: RejectedValue[] } {
  const first = planUpdateSchema.safeParse(input);
  if (first.success) return { update: first.data, rejected: [] };
  if (!isRecord(input)) throw first.error;

  const body: Body = structuredClone(input);
  const rejected: RejectedValue[] = [];
  const droppedHosts = new Set<unknown>();
  for (const issue of first.error.issues) {
    const [top, second, third] = issue.path;
    const reject = (path: string, value: unknown) => rejected.push(rejection(issue, path, value));
    if (top === "secrets" && isRecord(body.secrets) && typeof second === "string") {
      // A secret is addressed by its key; its value is never quoted back.
      reject(second, undefined);
      delete body.secrets[second];
    } else if (top === "settings" && isRecord(body.settings) && typeof second === "string" && second in stored.settings) {
      reject(`settings.${second}`, body.settings[second]);
      body.settings[second] = stored.settings[second as keyof PlanView["settings"]];
    } else if (top === "hosts" && Array.isArray(body.hosts) && typeof second === "number" && typeof third === "string" && third !== "id" && isRecord(body.hosts[second])) {
      const host = body.hosts[second];
      const field = third as keyof typeof NEW_HOST;
      if (!(field in NEW_HOST)) throw first.error;
      reject(`hosts.${second}.${field}`, host[field]);
      const before = stored.hosts.find((h) => h.id === host.id);
      host[field] = before ? before[field] : NEW_HOST[field];
    } else if (top === "hosts" && Array.isArray(body.hosts) && typeof second === "number") {
      // Without a usable id the host cannot be stored at all.
      reject(`hosts.${second}`, undefined);
      droppedHosts.add(body.hosts[second]);
    } else if ((top === "name" || top === "profile" || top === "wizardStep" || top === "settings" || top === "hosts" || top === "secrets") && second === undefined) {
      reject(String(top), top === "name" ? body.name : undefined);
      delete body[top];
    } else {
      throw first.error;
    }
  }
  if (Array.isArray(body.hosts)) body.hosts = body.hosts.filter((host) => !droppedHosts.has(host));
  // What is left fits by construction; should a rule slip through, the request is refused as before.
  return { update: planUpdateSchema.parse(body), rejected };
}

function rejection(issue: z.core.$ZodIssue, path: string, value: unknown): RejectedValue {
  if (path.endsWith(".sshPort")) return rejectedValue(path, "plan.rejected.portNotNumber", { value: shownValue(String(value)) });
  // A text over its length (not the list of hosts, which is over its count).
  if (issue.code === "too_big" && typeof issue.maximum === "number" && path !== "hosts") return rejectedValue(path, "plan.rejected.tooLong", { max: issue.maximum });
  // The one custom rule of the plan's texts.
  if (issue.code === "custom") return rejectedValue(path, "plan.rejected.nul");
  return rejectedValue(path, "plan.rejected.invalid");
}
