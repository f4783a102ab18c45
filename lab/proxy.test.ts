import { describe, expect, it } from "vitest";
import { renderHostFilter, renderTinyproxyConfig } from "./proxy";

describe("proxy config", () => {
  it("listens on the bridge, allows the lab subnet, denies all but the filter", () => {
    const conf = renderTinyproxyConfig({ listen: "10.123.0.1", port: 3128, allow: "10.123.0.0/24", filterFile: "/s/filter" });
    expect(conf).toMatch(/^Listen 10\.123\.0\.1$/m);
    expect(conf).toMatch(/^Allow 10\.123\.0\.0\/24$/m);
    expect(conf).toMatch(/^FilterDefaultDeny Yes$/m);
    expect(conf).toMatch(/^Filter "\/s\/filter"$/m);
    expect(conf).not.toMatch(/^(LogFile|PidFile)/m);
  });

  it("anchors and escapes mirror hostnames", () => {
    expect(renderHostFilter(["deb.debian.org", "security.debian.org"])).toBe("^deb\\.debian\\.org$\n^security\\.debian\\.org$\n");
  });
});
