import type { DistroFacts } from "./profiles/distroFacts";
import type { PlaybookHost, PlaybookInput } from "./playbookInput";
import type { ServiceSecret } from "./serviceSecrets";
import type { Script } from "./types";

/** What a phase builder gets: the plan's hosts and options, and the profile's distro facts. */
export type PhaseContext = {
  input: PlaybookInput;
  facts: DistroFacts;
  controller: PlaybookHost;
  computes: PlaybookHost[];
};

/** A script from lines; blank entries (for facts that do not apply) are dropped. */
export function script(lines: (string | false | null | undefined)[], secrets: ServiceSecret[] = []): Script {
  return { body: lines.filter((line): line is string => typeof line === "string" && line !== "").join("\n"), secrets };
}

/** "a && b && c" as one check: the step is done only when every condition holds. */
export function allOf(conditions: string[], secrets: ServiceSecret[] = []): Script {
  return script([conditions.map((c) => `{ ${c}; }`).join(" && \\\n  ")], secrets);
}

export function enableAndStart(services: string[]): string {
  return `systemctl enable ${services.join(" ")} && systemctl restart ${services.join(" ")}`;
}

export function isActive(services: string[]): string {
  return services.map((s) => `systemctl is-active -q ${s}`).join(" && ");
}
