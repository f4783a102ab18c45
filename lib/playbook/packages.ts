import { shellQuote } from "../shell/quote";
import type { DistroFacts } from "./profiles/distroFacts";
import type { Step } from "./types";

/** Script lines that install packages, and that test whether they are all installed. */
export function installPackages(facts: DistroFacts, packages: string[]): string {
  const list = packages.map(shellQuote).join(" ");
  if (facts.packageManager === "yum") return `yum -y install ${list}`;
  return `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold ${list}`;
}

export function packagesInstalled(facts: DistroFacts, packages: string[]): string {
  const list = packages.map(shellQuote).join(" ");
  if (facts.packageManager === "yum") return `rpm -q ${list} >/dev/null`;
  return `for p in ${list}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || exit 1; done`;
}

/** A step that installs a service's packages on the controller, skipped when all are there. */
export function installStep(facts: DistroFacts, key: string, title: string, packages: string[], timeoutSeconds: number): Step {
  return {
    key,
    title,
    roles: ["controller"],
    check: { body: packagesInstalled(facts, packages), secrets: [] },
    apply: { body: installPackages(facts, packages), secrets: [] },
    timeoutSeconds,
  };
}
