import { shellQuote } from "../shell/quote";
import type { DistroFacts } from "./profiles/distroFacts";

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
