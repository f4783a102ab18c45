import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../i18n/locale";
import { REPORT_SECTIONS } from "./format";
import { buildReportData } from "./reportData";
import { sampleReportSource, withStepRun, withVmChecks } from "./reportFixture";
import { escapeHtml, inlineSvg, renderHtml } from "./renderHtml";
import { renderReport } from "./renderReport";

const EVIL_HOST = `c1<script>alert("host")</script>`;
const EVIL_LINE = `<script>alert('log')</script> & <img src=x onerror=alert(1)>`;

describe("renderHtml", () => {
  it.each(LOCALES)("has a table of contents and every section with its id (%s)", (locale) => {
    const html = renderHtml(buildReportData(sampleReportSource({ locale })), locale);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(`<html lang="${locale}">`);
    for (const id of REPORT_SECTIONS) {
      expect(html, id).toContain(`<section id="${id}">`);
      expect(html, id).toContain(`<a href="#${id}">`);
    }
    expect(html).toContain("keystone.bootstrap");
    expect(html).toContain("export OS_PASSWORD=••••••");
    expect(html).toContain("#!/bin/bash");
    expect(html).toContain(`<p class="hint">`);
  });

  it("speaks the language asked", () => {
    const data = buildReportData(sampleReportSource());
    const en = renderHtml(data, "en");
    const zh = renderHtml(data, "zh-CN");
    expect(en).toContain("StackPilot install report");
    expect(en).toContain("Commands per host");
    expect(zh).toContain("StackPilot 安装报告");
    expect(zh).toContain("各主机的命令");
    expect(zh).toContain("已完成（跳过）");
    expect(zh).not.toContain("Commands per host");
    // Phase and step titles, the triage's hint and its sections, from the shared catalogs.
    expect(zh).toContain("身份认证（Keystone）");
    expect(zh).toContain("上传镜像 cirros");
    expect(zh).toContain("服务 glance-api 没有启动");
    expect(zh).toContain("glance-api：状态");
    expect(en).toContain("Identity (Keystone)");
    expect(en).toContain("The service glance-api did not start");
  });

  it("is self-contained and prints: inline CSS with print rules, no script, nothing loaded from elsewhere", () => {
    const html = renderHtml(buildReportData(sampleReportSource()), "en");
    expect(html).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(html).toContain("@page");
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    for (const [, value] of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) expect(value).toMatch(/^#/);
    expect(html).toMatch(/<section id="topology"><h2>[^<]*<\/h2>\n<figure><svg aria-label="[^"]+" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it("keeps a host name or a log line with markup as text", () => {
    const data = buildReportData(sampleReportSource({ firstComputeName: EVIL_HOST, extraLogLine: EVIL_LINE }));
    const html = renderHtml(data, "en");
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html).toContain(escapeHtml(EVIL_HOST));
    expect(html).toContain(escapeHtml(EVIL_LINE));
    // The topology picture is inline, with the name escaped in it.
    const svg = /<section id="topology">[\s\S]*?(<svg[\s\S]*?<\/svg>)/.exec(html)?.[1] ?? "";
    expect(svg).toContain("c1&lt;script&gt;");
  });

  it("puts a picture holding anything active in an <img>, where it cannot run", () => {
    expect(inlineSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>ct</text></svg>', "alt")).toBe('<svg aria-label="alt" xmlns="http://www.w3.org/2000/svg"><text>ct</text></svg>');
    for (const svg of ['<svg onload="alert(1)"></svg>', "<svg><script>alert(1)</script></svg>", '<svg><a href="javascript:x">x</a></svg>', "<html>"]) {
      expect(inlineSvg(svg, "alt")).toMatch(/^<img alt="alt" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+">$/);
    }
  });

  it("exports the data itself as JSON", () => {
    const data = buildReportData(sampleReportSource());
    expect(JSON.parse(renderReport(data, "json", "en"))).toEqual(data);
  });

  it("states the scope, and shows per compute what the compute verification found", () => {
    const data = buildReportData(sampleReportSource({ scope: "compute", failAt: null }));
    const en = renderHtml(data, "en");
    expect(en).toContain("<dt>Scope</dt><dd>Compute cloud (Placement and Nova)</dd>");
    expect(en).toContain("<th>Compute</th><th>nova-compute</th><th>Hypervisor</th><th>Resource provider in Placement</th>");
    expect(en).toContain('<tr><td>c1</td><td class="open">✓ up</td><td class="open">✓ QEMU</td><td class="open">✓ present</td></tr>');
    expect(en).toContain("<li>nova-conductor on ct: ✓ up</li>");
    expect(en).toMatch(/<li>nova-status upgrade check: ✓ Success \(Cells v2: Success, Placement API: Success/);
    const zh = renderHtml(data, "zh-CN");
    expect(zh).toContain("<dt>部署范围</dt><dd>计算云（Placement 与 Nova）</dd>");
    expect(zh).toContain('<td class="open">✓ 存在</td>');
    expect(renderHtml(buildReportData(sampleReportSource({ scope: null })), "en")).toContain("<dt>Scope</dt><dd>Identity and images (the tutorial)</dd>");
  });

  it("marks a compute whose nova-compute is up but disabled as a warning (the lab's own output)", () => {
    const source = sampleReportSource({ scope: "compute", failAt: null });
    const lines = readFileSync(new URL("./fixtures/verifyCompute.debian12-zed.txt", import.meta.url), "utf8").split("\n");
    const check = source.run.stepRuns.find((s) => s.stepKey === "verify.compute")!;
    check.result = { verifyOutput: lines };
    const html = renderHtml(buildReportData(source), "en");
    expect(html).toContain('<tr><td>c1</td><td class="warn">! up, disabled: no instance is scheduled there</td><td class="open">✓ QEMU</td><td class="open">✓ present</td></tr>');
  });

  it("shows the VMs booted, one per compute, and the network agents, in the compute scope only", () => {
    const data = buildReportData(withVmChecks(sampleReportSource({ scope: "compute", failAt: null })));
    const en = renderHtml(data, "en");
    expect(en).toContain('<h3 id="vms">VMs booted</h3>');
    expect(en).toContain("<th>Compute</th><th>Server</th><th>Image</th><th>Status</th><th>Time to ACTIVE</th><th>Fixed IP</th><th>Floating IP</th><th>Ping</th><th>SSH</th><th>Console</th>");
    expect(en).toContain(
      '<tr><td>c1</td><td>sp-verify-c1</td><td>stackpilot-guest</td><td class="open">✓ ACTIVE</td><td>18 s</td><td>172.16.1.50</td><td>192.168.158.210</td><td class="open">✓ ok</td><td class="open">✓ ok</td><td class="open">✓ booted</td></tr>',
    );
    expect(en).toContain('<h3 id="agents">Network agents</h3>');
    expect(en).toContain('<tr><td>L3 agent</td><td>ct</td><td class="open">✓ alive</td><td>UP</td><td>neutron-l3-agent</td></tr>');
    const zh = renderHtml(data, "zh-CN");
    expect(zh).toContain('<h3 id="vms">启动的虚拟机</h3>');
    expect(zh).toContain("<th>到 ACTIVE 的用时</th>");
    expect(zh).toContain('<td>18 秒</td>');
    expect(zh).toContain('<td class="open">✓ 存活</td>');
    expect(renderHtml(buildReportData(sampleReportSource()), "en")).not.toContain('id="vms"');
  });

  it("marks a VM that failed, says its fault, and a dead agent", () => {
    const vm = readFileSync(new URL("./fixtures/verifyVm.debian12-zed.txt", import.meta.url), "utf8").split("\n");
    const network = readFileSync(new URL("./fixtures/verifyNetwork.debian12-zed.txt", import.meta.url), "utf8").split("\n");
    const source = withStepRun(withVmChecks(sampleReportSource({ scope: "compute", failAt: null }), { network, vm }), "verify.vm", { status: "failed", result: { triage: { hint: null, lastLines: vm, sections: [] } } });
    const html = renderHtml(buildReportData(source), "en");
    expect(html).toContain('<td class="closed">✗ ERROR</td><td>—</td><td>—</td><td>—</td><td>not checked</td><td>not checked</td><td>not checked</td>');
    expect(html).toContain("<li>sp-verify-c2 on c2: Build of instance 6f1c2d3e-8a9b-4c0d-9e1f-2a3b4c5d6e7f aborted: Binding failed for port 9d3e0c55-1b2a-4f3e-8c7d-6b5a4f3e2d1c, please check neutron logs for more information.</li>");
    expect(html).toContain('<tr><td>Linux bridge agent</td><td>c2</td><td class="closed">✗ not alive</td>');
  });
});
