import { describe, expect, it } from "vitest";
import { parseDeb822Sources, parseOneLineSources, renderDeb822Sources, selectLabMirrors } from "./sources";

const DEB822 = `Types: deb
# a comment inside the paragraph
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://security.debian.org/debian-security
Suites: bookworm-security
Components: main contrib

Enabled: no
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
`;

const ONE_LINE = `# comment
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main contrib
deb-src http://mirror.example/debian bookworm main
deb https://packages.example/apt cloud-sdk main   # third-party
deb http://old.example/debian bullseye main
`;

describe("apt sources", () => {
  it("parses deb822, skipping disabled paragraphs", () => {
    const sources = parseDeb822Sources(DEB822, "debian.sources");
    expect(sources).toHaveLength(2);
    expect(sources[0]).toEqual({
      types: ["deb"],
      uris: ["http://deb.debian.org/debian"],
      suites: ["bookworm", "bookworm-updates"],
      components: ["main"],
      signedBy: "/usr/share/keyrings/debian-archive-keyring.gpg",
      origin: "debian.sources",
    });
    expect(sources[1].types).toEqual(["deb", "deb-src"]);
  });

  it("parses one-line entries with options", () => {
    const sources = parseOneLineSources(ONE_LINE, "x.list");
    expect(sources).toHaveLength(4);
    expect(sources[0]).toMatchObject({ uris: ["http://mirror.example/debian"], suites: ["bookworm"], signedBy: "/usr/share/keyrings/k.gpg" });
    expect(sources[2].components).toEqual(["main"]);
  });

  it("selects the bookworm mirror and its companion suites only", () => {
    const all = [...parseDeb822Sources(DEB822, "a"), ...parseOneLineSources(ONE_LINE, "b")];
    const mirrors = selectLabMirrors(all, "bookworm");
    expect(mirrors?.bootstrapMirror).toBe("http://deb.debian.org/debian");
    expect(mirrors?.hostnames).toEqual(["deb.debian.org", "security.debian.org", "mirror.example"]);
    expect(mirrors?.sources.every((s) => s.types.join() === "deb")).toBe(true);
    expect(mirrors?.sources.flatMap((s) => s.suites)).not.toContain("bullseye");
  });

  it("returns null without a usable mirror", () => {
    expect(selectLabMirrors(parseOneLineSources("deb http://x/debian bullseye main\n", "c"), "bookworm")).toBeNull();
    expect(selectLabMirrors([], "bookworm")).toBeNull();
  });

  it("renders deb822 and keeps Signed-By only when the key exists in the host", () => {
    const [first] = parseDeb822Sources(DEB822, "debian.sources");
    expect(renderDeb822Sources([first], () => true)).toContain("Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg");
    const text = renderDeb822Sources([first], () => false);
    expect(text).not.toContain("Signed-By");
    expect(parseDeb822Sources(text, "round-trip")[0]).toMatchObject({ uris: first.uris, suites: first.suites });
  });
});
