import { shellQuote } from "../../shell/quote";
import { networkOptionsOf } from "../networkOptions";
import { script, type PhaseContext } from "../phaseContext";
import type { Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { PROVIDER_PHYSNET } from "./neutron";
import { expectedAgentCount } from "./neutronAgents";

/** What the compute scope's verification creates and keeps: the guide's networks and router, a flavor, a keypair. */
export const VERIFY_NAMES = {
  provider: "provider",
  selfService: "selfservice",
  router: "router",
  flavor: "sp.tiny",
  keypair: "stackpilot-verify",
  /** The keypair's private key, on the controller only. */
  keyFile: "/root/.ssh/stackpilot-verify",
  /** Tag of the floating IPs the verification makes, so an interrupted run's are found and deleted. */
  tag: "stackpilot-verify",
  serverPrefix: "sp-verify-",
} as const;

/**
 * Sets $sg to the admin project's own default security group: every project gets one named
 * "default" (the service project's appears once Neutron makes ports for it), so the name alone is
 * ambiguous to the client ("More than one SecurityGroup exists with the name 'default'").
 */
const ADMIN_DEFAULT_GROUP = "sg=$(openstack security group list --project admin -f value -c ID -c Name | awk '$2 == \"default\" { print $1; exit }')";

/** The image the first VMs boot, who logs in to it, and what its console says once it has booted. */
export type VerifyImage = { name: string; loginUser: string; bootedMarker: string };

/**
 * The agents every host runs report alive, then the networks the first VMs need exist (made once,
 * kept for the user): the flat provider network with its floating IPs, the VXLAN self-service
 * network, a router between them, ICMP and SSH allowed in the admin project's default group.
 */
export function verifyNetworkStep(ctx: PhaseContext): Step {
  const { facts } = ctx;
  const net = networkOptionsOf(ctx.input);
  const n = VERIFY_NAMES;
  const q = shellQuote;
  const agentCount = expectedAgentCount(ctx);
  return {
    key: "verify.network",
    title: "network agent list (every agent alive); the provider and self-service networks, the router, the security group rules",
    roles: ["controller"],
    apply: script([`test -r ${ADMIN_OPENRC}`]),
    verify: script([
      `. ${ADMIN_OPENRC}`,
      "openstack network agent list",
      "dead=$(openstack network agent list -f value -c 'Agent Type' -c Host -c Alive | grep -vE ' (True|:-\\))$' || true)",
      'if [ -n "$dead" ]; then printf \'Not alive: %s\\n\' "$dead" >&2; exit 1; fi',
      `alive=$(openstack network agent list -f value -c ID | wc -l); [ "$alive" -ge ${agentCount} ] || { echo "Only $alive Neutron agents reported in, ${agentCount} expected." >&2; exit 1; }`,
      `openstack network show ${n.provider} >/dev/null 2>&1 || openstack network create --share --external --provider-physical-network ${PROVIDER_PHYSNET} --provider-network-type flat ${n.provider}`,
      `openstack subnet show ${n.provider} >/dev/null 2>&1 || openstack subnet create --network ${n.provider} --subnet-range ${q(net.providerCidr)} --gateway ${q(net.providerGateway)} --allocation-pool ${q(`start=${net.floatingIpStart},end=${net.floatingIpEnd}`)} ${n.provider}`,
      `openstack network show ${n.selfService} >/dev/null 2>&1 || openstack network create ${n.selfService}`,
      `openstack subnet show ${n.selfService} >/dev/null 2>&1 || openstack subnet create --network ${n.selfService} --subnet-range ${q(net.selfServiceCidr)} --gateway ${q(net.selfServiceGateway)} ${n.selfService}`,
      `openstack router show ${n.router} >/dev/null 2>&1 || openstack router create ${n.router}`,
      `openstack port list --router ${n.router} -f value -c 'Fixed IP Addresses' | grep -q "$(openstack subnet show ${n.selfService} -f value -c id)" || openstack router add subnet ${n.router} ${n.selfService}`,
      `openstack router show ${n.router} -f value -c external_gateway_info | grep -q "$(openstack network show ${n.provider} -f value -c id)" || openstack router set ${n.router} --external-gateway ${n.provider}`,
      ADMIN_DEFAULT_GROUP,
      'openstack security group rule list "$sg" --protocol icmp --ingress -f value -c ID | grep -q . || openstack security group rule create --proto icmp "$sg" >/dev/null',
      "openstack security group rule list \"$sg\" --protocol tcp --ingress -f value -c 'Port Range' | grep -qx '22:22' || openstack security group rule create --proto tcp --dst-port 22 \"$sg\" >/dev/null",
      `openstack flavor show ${n.flavor} >/dev/null 2>&1 || openstack flavor create --vcpus 1 --ram 128 --disk 1 ${n.flavor} >/dev/null`,
      `[ -f ${n.keyFile} ] || ssh-keygen -q -t rsa -b 2048 -N '' -f ${n.keyFile}`,
      // The key on the controller and the one in Nova must match: a re-made key replaces Nova's.
      `[ "$(openstack keypair show ${n.keypair} -f value -c fingerprint 2>/dev/null)" = "$(ssh-keygen -l -E md5 -f ${n.keyFile}.pub | awk '{ print $2 }' | sed 's/^MD5://')" ] || { openstack keypair delete ${n.keypair} 2>/dev/null || true; openstack keypair create --public-key ${n.keyFile}.pub ${n.keypair} >/dev/null; }`,
      `openstack network list; openstack subnet list; openstack router show ${n.router} -f value -c external_gateway_info`,
    ]),
    services: [...facts.neutron.serverServices, ...facts.neutron.controllerAgentServices, facts.neutron.linuxbridgeService],
    timeoutSeconds: 600,
  };
}

/**
 * One VM on each compute, placed by host: each must reach ACTIVE, get a floating IP, answer ping
 * and SSH from the controller with the keypair, and say in its console log that it booted. One
 * line per VM (SP_VM …) is what the report and the dashboard read. The VMs and their floating IPs
 * are deleted at the end, pass or fail, so the next deployment boots fresh ones.
 */
export function verifyVmStep(ctx: PhaseContext, image: VerifyImage): Step {
  const { facts, computes } = ctx;
  const n = VERIFY_NAMES;
  const names = computes.map((h) => shellQuote(h.name)).join(" ");
  const ssh = `ssh -i ${n.keyFile} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 -o LogLevel=ERROR -o PubkeyAcceptedAlgorithms=+ssh-rsa -o HostKeyAlgorithms=+ssh-rsa`;
  return {
    key: "verify.vm",
    title: `A VM on each compute (${image.name}): ACTIVE, floating IP, ping, SSH, console log; then deleted`,
    roles: ["controller"],
    apply: script([`test -r ${ADMIN_OPENRC}`]),
    verify: script([
      `. ${ADMIN_OPENRC}`,
      `image=${shellQuote(image.name)}; login=${shellQuote(image.loginUser)}; marker=${shellQuote(image.bootedMarker)}`,
      `computes=(${names})`,
      "declare -A state since",
      // Deleted when Nova no longer knows it (delete --wait itself sometimes fails on a VM it did delete).
      `sp_vm_cleanup() {`,
      `  for h in "\${computes[@]}"; do openstack server delete "${n.serverPrefix}$h" >/dev/null 2>&1 || true; done`,
      `  for h in "\${computes[@]}"; do`,
      `    for i in $(seq 1 60); do openstack server show "${n.serverPrefix}$h" >/dev/null 2>&1 || { echo "SP_VM_DELETED host=$h server=${n.serverPrefix}$h"; break; }; sleep 2; done`,
      "  done",
      `  for ip in $(openstack floating ip list --tags ${n.tag} -f value -c ID); do openstack floating ip delete "$ip"; done`,
      "}",
      // Whatever an interrupted run left behind, then the same at the end, pass or fail.
      "sp_vm_cleanup >/dev/null",
      "trap sp_vm_cleanup EXIT",
      ADMIN_DEFAULT_GROUP,
      "start=$(date +%s)",
      `for h in "\${computes[@]}"; do`,
      `  openstack server create --flavor ${n.flavor} --image "$image" --network ${n.selfService} --security-group "$sg" --key-name ${n.keypair} --availability-zone "nova:$h" "${n.serverPrefix}$h" -f value -c id >/dev/null`,
      "  state[$h]=BUILD",
      "done",
      // Both boot at once; each one's time to ACTIVE is taken when it leaves BUILD.
      "while :; do",
      "  building=0",
      `  for h in "\${computes[@]}"; do`,
      '    [ "${state[$h]}" = BUILD ] || continue',
      `    state[$h]=$(openstack server show "${n.serverPrefix}$h" -f value -c status)`,
      '    if [ "${state[$h]}" = BUILD ]; then building=1; else since[$h]=$(( $(date +%s) - start )); fi',
      "  done",
      '  [ "$building" = 0 ] && break',
      '  [ $(( $(date +%s) - start )) -lt 600 ] || break',
      "  sleep 2",
      "done",
      "failed=0",
      `for h in "\${computes[@]}"; do`,
      `  s="${n.serverPrefix}$h"; secs=-; fixed=-; fip=-; ping=skipped; sshok=skipped; console=skipped`,
      '  if [ "${state[$h]}" = ACTIVE ]; then',
      "    secs=${since[$h]}",
      `    fixed=$(openstack port list --server "$s" -f value -c 'Fixed IP Addresses' | grep -oE "[0-9]+(\\.[0-9]+){3}" | head -n 1 || true)`,
      `    fip=$(openstack floating ip create ${n.provider} --tag ${n.tag} -f value -c floating_ip_address)`,
      '    openstack server add floating ip "$s" "$fip"',
      "    ping=failed; for i in $(seq 1 45); do ping -c 1 -W 2 \"$fip\" >/dev/null 2>&1 && { ping=ok; break; }; sleep 2; done",
      `    sshok=failed; for i in $(seq 1 30); do ${ssh} "$login@$fip" true 2>/dev/null && { sshok=ok; break; }; sleep 3; done`,
      '    console=missing; for i in $(seq 1 10); do openstack console log show "$s" 2>/dev/null | grep -qF "$marker" && { console=booted; break; }; sleep 3; done',
      // A VM that booted but did not answer: its console's last lines say how far it got (its lease, its key).
      '    [ "$sshok" = ok ] && [ "$console" = booted ] || openstack console log show --lines 15 "$s" 2>/dev/null | sed "s/^/  [console of $s] /" || true',
      "  else",
      `    openstack server show "$s" -f value -c fault 2>/dev/null | head -n 3 | sed "s/^/SP_VM_FAULT host=$h /"`,
      "  fi",
      '  echo "SP_VM host=$h server=$s image=$image status=${state[$h]} active_seconds=$secs fixed_ip=${fixed:--} floating_ip=$fip ping=$ping ssh=$sshok console=$console"',
      '  [ "${state[$h]}" = ACTIVE ] && [ "$ping" = ok ] && [ "$sshok" = ok ] && [ "$console" = booted ] || failed=1',
      "done",
      'if [ "$failed" = 1 ]; then echo "Not every VM booted and answered: see the SP_VM lines above." >&2; exit 1; fi',
    ]),
    services: [...facts.nova.controllerServices, ...facts.neutron.serverServices, ...facts.neutron.controllerAgentServices],
    timeoutSeconds: 1200,
  };
}
