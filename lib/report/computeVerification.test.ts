import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeFindingsRows } from "./format";
import { novaStatusResult, readComputeVerification, readTables } from "./computeVerification";
import { cliTable, novaStatusTable, sampleComputeVerifyOutput } from "./reportFixture";

describe("readTables", () => {
  it("reads tables printed one after the other, and nova-status's groups of rows as one table", () => {
    const lines = ["Warning: something", ...cliTable([["A", "B"], ["1", "2"]]), ...cliTable([["C"], ["x"], ["y"]]), "text between", ...novaStatusTable([["Cells v2", "Success"], ["Placement API", "Warning"]])];
    expect(readTables(lines)).toEqual([
      { columns: ["A", "B"], rows: [["1", "2"]] },
      { columns: ["C"], rows: [["x"], ["y"]] },
      { columns: ["Upgrade Check Results"], rows: [["Check: Cells v2"], ["Result: Success"], ["Details: None"], ["Check: Placement API"], ["Result: Warning"], ["Details: None"]] },
    ]);
  });

  it("takes a row outside a table for text", () => {
    expect(readTables(["| not a table |", "plain"])).toEqual([]);
  });
});

describe("readComputeVerification", () => {
  it("says per compute whether nova-compute is up, which hypervisor it is and whether Placement has it, and what nova-status said", () => {
    const found = readComputeVerification(sampleComputeVerifyOutput(["c1", "c2"]), "ct", ["c1", "c2"]);
    expect(found?.controller).toEqual([
      { binary: "nova-scheduler", host: "ct", state: "up" },
      { binary: "nova-conductor", host: "ct", state: "up" },
    ]);
    expect(found?.computes).toEqual([
      { host: "c1", novaCompute: "up", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
      { host: "c2", novaCompute: "up", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
    ]);
    expect(found?.novaStatus.map((c) => c.check)).toEqual(["Cells v2", "Placement API", "Cinder API", "Policy Scope-based Defaults", "Policy File JSON to YAML Migration", "Older than N-1 computes", "hw_machine_type unset"]);
    expect(novaStatusResult(found!.novaStatus)).toBe("Success");
  });

  it("tells a compute that is down, missing or known by its domain name apart", () => {
    const lines = [
      ...cliTable([
        ["ID", "Binary", "Host", "Zone", "Status", "State", "Updated At"],
        ["1", "nova-scheduler", "ct", "internal", "enabled", "up", "-"],
        ["2", "nova-compute", "c1", "nova", "enabled", "down", "-"],
      ]),
      ...cliTable([["ID", "Hypervisor Hostname", "Hypervisor Type", "Host IP", "State"], ["1", "c1.example.org", "QEMU", "10.0.0.2", "up"]]),
      ...cliTable([["uuid", "name", "generation"], ["u1", "c10", "1"]]),
      ...novaStatusTable([["Cells v2", "Success"], ["Placement API", "Failure"]]),
    ];
    const found = readComputeVerification(lines, "ct", ["c1", "c2"])!;
    expect(found.controller).toEqual([
      { binary: "nova-scheduler", host: "ct", state: "up" },
      { binary: "nova-conductor", host: "ct", state: null },
    ]);
    expect(found.computes).toEqual([
      { host: "c1", novaCompute: "down", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: false },
      { host: "c2", novaCompute: null, novaComputeStatus: null, hypervisor: false, hypervisorType: null, resourceProvider: false },
    ]);
    expect(novaStatusResult(found.novaStatus)).toBe("Failure");
    expect(novaStatusResult([{ check: "a", result: "Success" }, { check: "b", result: "Warning" }])).toBe("Warning");
    expect(novaStatusResult([])).toBeNull();
  });

  it("reads what verify.compute printed in the lab (Debian 12, Zed), a compute the scheduler left disabled included", () => {
    const lines = readFileSync(new URL("./fixtures/verifyCompute.debian12-zed.txt", import.meta.url), "utf8").split("\n");
    const found = readComputeVerification(lines, "ct", ["c1", "c2"])!;
    expect(found.controller.map((s) => s.state)).toEqual(["up", "up"]);
    expect(found.computes).toEqual([
      { host: "c1", novaCompute: "up", novaComputeStatus: "disabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
      { host: "c2", novaCompute: "up", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
    ]);
    expect(found.novaStatus).toHaveLength(7);
    expect(novaStatusResult(found.novaStatus)).toBe("Success");
    // Up, but no instance goes there: a warning, not a pass.
    expect(computeFindingsRows("en", found)).toEqual([
      ["c1", "! up, disabled: no instance is scheduled there", "✓ QEMU", "✓ present"],
      ["c2", "✓ up", "✓ QEMU", "✓ present"],
    ]);
  });

  it("finds nothing in output without a compute service list", () => {
    expect(readComputeVerification(["openstack: command not found"], "ct", ["c1"])).toBeNull();
  });
});
