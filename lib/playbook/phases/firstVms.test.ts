import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readVmResults } from "../../report/vmVerification";
import { buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import { SECRET_VALUES, stepSandbox } from "./stepSandbox";

const file = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../../examples/cloud.plan.json", import.meta.url)), "utf8")));
const input = playbookInputFromFile({ ...file, profile: "debian12-zed" });
const { run, scriptOf } = stepSandbox(buildPlaybook(input), input, SECRET_VALUES);

/**
 * A cloud where c1's VM boots and answers and c2's fails to build: `openstack` keeps its servers
 * as files and logs every call; ping and ssh answer only c1's floating IP.
 */
const FAKE_CLOUD = String.raw`
. () { :; }
openstack() {
  echo "openstack $*" >> "$SP_TEST_LOG"
  case "$1 $2" in
    "security group") echo "sg-admin default" ;;
    "server create") local name; name=$(printf '%s\n' "$@" | grep '^sp-verify-'); touch "$SP_TEST_ROOT/server-$name"; echo "id-$name" ;;
    "server show")
      [ -e "$SP_TEST_ROOT/server-$3" ] || return 1
      case "$3 $6 $7" in
        "sp-verify-c1 -c status") echo ACTIVE ;;
        "sp-verify-c2 -c status") echo ERROR ;;
        "sp-verify-c2 -c fault") echo "{'code': 500, 'message': 'No valid host was found. ', 'details': ''}" ;;
      esac ;;
    "server delete") [ -e "$SP_TEST_ROOT/server-$3" ] && rm "$SP_TEST_ROOT/server-$3" ;;
    "port list") echo "[{'subnet_id': 'x', 'ip_address': '172.16.1.9'}]" ;;
    "floating ip") case "$3" in create) echo 10.9.1.201 ;; list) echo fip-1 ;; esac ;;
    "console log") echo "stackpilot-guest booted (172.16.1.9/24, ssh as root on port 22)" ;;
  esac
}
ping() { [ "${"$"}{@: -1}" = 10.9.1.201 ]; }
ssh() { [ "${"$"}{@: -2:1}" = root@10.9.1.201 ]; }
sleep() { :; }
`;

describe("verify.vm", () => {
  const [, c1, c2] = input.hosts;

  it("boots one VM per compute by host, reports each on one SP_VM line the report reads, and deletes both even when one failed", () => {
    const result = run(scriptOf("verify.vm", "verify"), { setup: FAKE_CLOUD, paths: ["/root/admin-openrc"] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Not every VM booted and answered");
    for (const host of [c1, c2]) {
      expect(result.log).toContainEqual(expect.stringContaining(`server create --flavor sp.tiny --image stackpilot-guest --network selfservice --security-group sg-admin --key-name stackpilot-verify --availability-zone nova:${host.name} sp-verify-${host.name}`));
    }
    const vms = readVmResults(result.stdout.split("\n"))!;
    expect(vms.map((vm) => [vm.host, vm.status, vm.floatingIp, vm.ping, vm.ssh, vm.console, vm.deleted])).toEqual([
      ["c1", "ACTIVE", "10.9.1.201", "ok", "ok", "booted", true],
      ["c2", "ERROR", null, "skipped", "skipped", "skipped", true],
    ]);
    expect(vms[1].faults.join(" ")).toContain("No valid host was found");
    // The floating IPs it tagged are deleted with the VMs.
    expect(result.log.filter((line) => line.startsWith("openstack floating ip delete"))).not.toEqual([]);
  });
});
