import { describe, expect, it } from "vitest";
import { LOCALES } from "../i18n/locale";
import { REPORT_SECTIONS } from "./format";
import { buildReportData } from "./reportData";
import { sampleReportSource, withStepRun, withVmChecks } from "./reportFixture";
import { codeBlock, escapeMarkdown, renderMarkdown } from "./renderMarkdown";

/** The Markdown outside fenced code blocks: where text could become markup. */
function outsideCode(md: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split("\n")) {
    const marker = /^(`{3,})/.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && line === fence) fence = null;
    else if (fence === null) out.push(line);
  }
  return out.join("\n");
}

describe("renderMarkdown", () => {
  it.each(LOCALES)("has a table of contents and every section with its anchor (%s)", (locale) => {
    const md = renderMarkdown(buildReportData(sampleReportSource({ locale })), locale);
    for (const id of REPORT_SECTIONS) {
      expect(md, id).toContain(`<a id="${id}"></a>`);
      expect(md, id).toMatch(new RegExp(`^\\d+\\. \\[[^\\]]+\\]\\(#${id}\\)$`, "m"));
    }
    expect(md).toContain("export OS_PASSWORD=••••••");
    expect(md).toMatch(/!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    expect(md).toContain("#!/bin/bash");
  });

  it("speaks the language asked", () => {
    const data = buildReportData(sampleReportSource());
    expect(renderMarkdown(data, "en")).toContain("# StackPilot install report");
    expect(renderMarkdown(data, "zh-CN")).toContain("# StackPilot 安装报告");
    expect(renderMarkdown(data, "zh-CN")).toContain("## 验证");
    expect(renderMarkdown(data, "zh-CN")).toContain("### 身份认证（Keystone）: ✓ 成功");
    expect(renderMarkdown(data, "zh-CN")).toContain("服务 glance-api 没有启动");
  });

  it("keeps a host name or a log line with markup as text", () => {
    const host = `c1<script>alert(1)</script>`;
    const line = "<script>alert('log')</script> | **bold** [link](http://x)";
    const md = renderMarkdown(buildReportData(sampleReportSource({ firstComputeName: host, extraLogLine: line })), "en");
    const prose = outsideCode(md);
    expect(prose).not.toMatch(/<script/i);
    expect(prose).toContain("c1&lt;script&gt;alert(1)&lt;/script&gt;");
    // Inside the log's code block the line is verbatim, where Markdown shows it as text.
    expect(md).toContain(line);
    expect(prose).not.toContain(line);
  });

  it("escapes table and emphasis characters, and fences code so no line can close it early", () => {
    expect(escapeMarkdown("a|b *c* _d_ [e](f) <g> &amp;\nh")).toBe("a\\|b \\*c\\* \\_d\\_ \\[e\\](f) &lt;g&gt; &amp;amp; h");
    expect(escapeMarkdown("# not a heading")).toBe("\\# not a heading");
    const block = codeBlock("echo ```\n````\nend");
    expect(block.startsWith("`````\n")).toBe(true);
    expect(block.endsWith("\n`````")).toBe(true);
  });

  it("states the scope, and shows per compute what the compute verification found", () => {
    const md = renderMarkdown(buildReportData(sampleReportSource({ scope: "compute", failAt: null })), "en");
    expect(md).toContain("- **Scope:** Compute cloud (Placement and Nova)");
    expect(md).toContain("| Compute | nova-compute | Hypervisor | Resource provider in Placement |");
    expect(md).toContain("| c2 | ✓ up | ✓ QEMU | ✓ present |");
    expect(md).toContain("- nova-scheduler on ct: ✓ up");
    expect(outsideCode(md)).toMatch(/^- nova-status upgrade check: ✓ Success \(Cells v2: Success/m);
  });

  it("shows the VMs booted and the network agents as tables in the compute scope, in either language", () => {
    const data = buildReportData(withVmChecks(sampleReportSource({ scope: "compute", failAt: null })));
    const md = renderMarkdown(data, "en");
    expect(md).toContain("### VMs booted");
    expect(md).toContain("| Compute | Server | Image | Status | Time to ACTIVE | Fixed IP | Floating IP | Ping | SSH | Console |");
    expect(md).toContain("| c2 | sp-verify-c2 | stackpilot-guest | ✓ ACTIVE | 23 s | 172.16.1.51 | 192.168.158.211 | ✓ ok | ✓ ok | ✓ booted |");
    expect(md).toContain("### Network agents");
    expect(md).toContain("| Linux bridge agent | c1 | ✓ alive | UP | neutron-linuxbridge-agent |");
    const zh = renderMarkdown(data, "zh-CN");
    expect(zh).toContain("### 启动的虚拟机");
    expect(zh).toContain("| 代理 | 主机 | 存活 | 状态 | 程序 |");
    const silent = withStepRun(withStepRun(sampleReportSource({ scope: "compute", failAt: null }), "verify.network", { result: null }), "verify.vm", { result: null });
    expect(renderMarkdown(buildReportData(silent), "en")).not.toContain("### VMs booted");
  });
});
