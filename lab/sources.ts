// Reads the host machine's own apt sources, so the lab uses the mirror this machine already
// trusts and the repository never names one.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
  /** File the entry came from, for error messages. */
  origin: string;
}

/** deb822 format (*.sources): paragraphs of "Key: value", continuation lines start with a space. */
export function parseDeb822Sources(text: string, origin: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let current: string | undefined;
    for (const line of paragraph.split("\n")) {
      if (line.startsWith("#") || line.trim() === "") continue;
      if (/^[ \t]/.test(line) && current) {
        fields.set(current, `${fields.get(current)}\n${line.trim()}`);
        continue;
      }
      const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!match) continue;
      current = match[1].toLowerCase();
      fields.set(current, match[2].trim());
    }
    if (!fields.has("uris") || fields.get("enabled")?.toLowerCase() === "no") continue;
    const list = (key: string) => (fields.get(key) ?? "").split(/\s+/).filter(Boolean);
    sources.push({
      types: list("types"),
      uris: list("uris"),
      suites: list("suites"),
      components: list("components"),
      signedBy: fields.get("signed-by"),
      origin,
    });
  }
  return sources;
}

/** One-line format (*.list): `deb [opt=value ...] uri suite component...`. */
export function parseOneLineSources(text: string, origin: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const match = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, type, options = "", uri, suite, components] = match;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(options)?.[1];
    sources.push({
      types: [type],
      uris: [uri],
      suites: [suite],
      components: components.split(/\s+/).filter(Boolean),
      signedBy,
      origin,
    });
  }
  return sources;
}

/** All enabled entries of /etc/apt/sources.list and sources.list.d/{*.list,*.sources}. */
export async function readAptSources(aptDir = "/etc/apt"): Promise<AptSource[]> {
  const files = [path.join(aptDir, "sources.list")];
  const partsDir = path.join(aptDir, "sources.list.d");
  const parts = await readdir(partsDir).catch(() => [] as string[]);
  files.push(...parts.sort().map((f) => path.join(partsDir, f)));
  const sources: AptSource[] = [];
  for (const file of files) {
    const parse = file.endsWith(".sources") ? parseDeb822Sources : file.endsWith(".list") ? parseOneLineSources : null;
    if (!parse) continue; // apt itself ignores other suffixes (e.g. "*.disabled")
    const text = await readFile(file, "utf8").catch(() => null);
    if (text !== null) sources.push(...parse(text, file));
  }
  return sources;
}

export interface LabMirrors {
  /** Where debootstrap fetches the base system. */
  bootstrapMirror: string;
  /** The host's entries for this suite (and its -updates/-security), for the lab hosts' own apt. */
  sources: AptSource[];
  /** Hostnames the proxy may forward to. */
  hostnames: string[];
}

/**
 * Keeps the binary http(s) entries for `suite` and its companion suites (suite-updates, …);
 * the first one carrying `suite` itself with `main` is the bootstrap mirror.
 */
export function selectLabMirrors(sources: AptSource[], suite: string): LabMirrors | null {
  const forSuite = (s: string) => s === suite || s.startsWith(`${suite}-`) || s.startsWith(`${suite}/`);
  const selected = sources
    .filter((s) => s.types.includes("deb"))
    .map((s) => ({
      ...s,
      types: ["deb"],
      uris: s.uris.filter((u) => /^https?:\/\//.test(u)),
      suites: s.suites.filter(forSuite),
    }))
    .filter((s) => s.uris.length > 0 && s.suites.length > 0);
  const base = selected.find((s) => s.suites.includes(suite) && s.components.includes("main"));
  if (!base) return null;
  const hostnames = [...new Set(selected.flatMap((s) => s.uris.map((u) => new URL(u).hostname)))];
  return { bootstrapMirror: base.uris[0], sources: selected, hostnames };
}

/** deb822 text for the lab hosts; Signed-By is kept only where `keepSignedBy` says the key exists. */
export function renderDeb822Sources(sources: AptSource[], keepSignedBy: (file: string) => boolean): string {
  return sources
    .map((s) =>
      [
        `# from ${s.origin} on the lab's host machine`,
        `Types: ${s.types.join(" ")}`,
        `URIs: ${s.uris.join(" ")}`,
        `Suites: ${s.suites.join(" ")}`,
        `Components: ${s.components.join(" ")}`,
        ...(s.signedBy && keepSignedBy(s.signedBy) ? [`Signed-By: ${s.signedBy}`] : []),
      ].join("\n"),
    )
    .join("\n\n")
    .concat("\n");
}
