import { decideVirtTypeLines } from "../../hostcheck/kvmProbe";
import { shellQuote } from "../../shell/quote";
import { installStep } from "../packages";
import { allOf, asUser, enableAndStart, iniSettings, isActive, script, startedAfter, verifiedByCheck, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { NOVA_CONF_SECRETS, novaCommonSettings } from "./nova";

/** A compute's nova.conf: the common part, and VNC served on every address, reached through the controller's proxy. */
export function novaComputeSettings(ctx: PhaseContext): IniSetting[] {
  return [
    ...novaCommonSettings(ctx),
    ["vnc", "server_listen", "0.0.0.0"],
    ["vnc", "server_proxyclient_address", "$my_ip"],
    ["vnc", "novncproxy_base_url", `http://${ctx.controller.name}:6080/vnc_auto.html`],
  ];
}

/**
 * The hypervisor, per host: $SP_HOST_VIRT_TYPE is what the host check's KVM probe found on this
 * compute (kvm only where a guest can use /dev/kvm, else qemu). A host never checked (an exported
 * script, a plan deployed without Check hosts) runs the same probe itself first: never assumed.
 */
/** qemu.conf's setting for libvirt in a container, where the cgroups are the container manager's. */
export const LIBVIRT_NO_CGROUPS = "cgroup_controllers = [ ]";

export const VIRT_TYPE_SETTING: IniSetting = ["libvirt", "virt_type", ["$SP_HOST_VIRT_TYPE"]];

/** Nova on the computes: nova-compute with libvirt, then the controller maps them into cell1. */
export function novaComputePhase(ctx: PhaseContext): Phase {
  const { facts, computes } = ctx;
  const { nova } = facts;
  const secrets = [...NOVA_CONF_SECRETS];
  const conf = iniSettings(nova.config, novaComputeSettings(ctx));
  const virtType = iniSettings(nova.virtTypeConfig, [VIRT_TYPE_SETTING]);
  const computeServices = [nova.libvirtService, nova.computeService];
  const configFiles = [...new Set([nova.config, nova.virtTypeConfig])];
  const libvirtFiles = [nova.libvirtQemuConfig];
  // One shell word per name: the loops go over the computes.
  const names = computes.map((h) => shellQuote(h.name)).join(" ");

  return {
    key: "nova-compute",
    title: "Compute (Nova) on the computes",
    steps: (
      [
        // Debian's package starts nova-compute at install time, before nova.conf is written.
        { ...installStep(facts, "nova-compute.install", "Install nova-compute and libvirt", nova.computePackages, 1800, ["compute"]), services: computeServices },
        {
          key: "nova-compute.configure",
          title: "nova.conf: this host's address, the controller's services, the hypervisor type",
          roles: ["compute"],
          check: script([...decideVirtTypeLines(), allOf([...conf.check, ...virtType.check]).body], secrets),
          apply: script([`sp_need ${secrets.join(" ")}`, ...decideVirtTypeLines(), 'sp_log "virt_type: $SP_HOST_VIRT_TYPE"', ...conf.apply, ...virtType.apply], secrets),
          services: computeServices,
          timeoutSeconds: 60,
        },
        {
          key: "nova-compute.container",
          title: "libvirt inside a container: no cgroup controllers for guests",
          roles: ["compute"],
          // A container's cgroups are not libvirt's to divide: guests fail to start until it stops trying. Elsewhere nothing changes.
          check: script([`! systemd-detect-virt --container --quiet || grep -qxF ${shellQuote(LIBVIRT_NO_CGROUPS)} ${nova.libvirtQemuConfig}`]),
          apply: script([
            "if systemd-detect-virt --container --quiet; then",
            `  sp_log "running in a $(systemd-detect-virt --container) container: libvirt gets ${LIBVIRT_NO_CGROUPS}"`,
            `  grep -qxF ${shellQuote(LIBVIRT_NO_CGROUPS)} ${nova.libvirtQemuConfig} || echo ${shellQuote(LIBVIRT_NO_CGROUPS)} >> ${nova.libvirtQemuConfig}`,
            "fi",
          ]),
          services: [nova.libvirtService],
          timeoutSeconds: 60,
        },
        {
          key: "nova-compute.service",
          title: "libvirt and nova-compute enabled and started",
          roles: ["compute"],
          check: allOf([isActive(computeServices), startedAfter(nova.computeService, configFiles), startedAfter(nova.libvirtService, libvirtFiles)]),
          apply: script([enableAndStart(computeServices)]),
          // libvirt answers, with the hypervisor it drives.
          verify: script([`sp_ini_get ${nova.virtTypeConfig} libvirt virt_type`, "virsh -c qemu:///system version", isActive([nova.computeService])]),
          services: computeServices,
          timeoutSeconds: 300,
        },
        {
          key: "nova-compute.discover-hosts",
          title: "The controller maps every compute into cell1 (discover_hosts)",
          roles: ["controller"],
          check: script(
            [
              `for h in ${names}; do`,
              `  [ "$(sp_mysql -N -e "SELECT COUNT(*) FROM nova_api.host_mappings WHERE host = '$h'")" = 1 ] || exit 1`,
              "done",
            ],
            ["MARIADB_ROOT_PASS"],
          ),
          apply: script([
            `. ${ADMIN_OPENRC}`,
            // Each nova-compute reports itself up once it reached the conductor: wait for all of them.
            "for i in $(seq 1 60); do",
            "  up=$(openstack compute service list --service nova-compute -f value -c Host -c State)",
            '  missing=""',
            `  for h in ${names}; do printf '%s\\n' "$up" | grep -qx "$h up" || missing="$missing $h"; done`,
            '  [ -z "$missing" ] && break',
            "  sleep 5",
            "done",
            'if [ -n "$missing" ]; then echo "nova-compute is not up on:$missing (see its log on that host)." >&2; exit 1; fi',
            asUser(nova.user, "nova-manage cell_v2 discover_hosts --verbose"),
          ]),
          verify: script([`. ${ADMIN_OPENRC}`, "openstack compute service list --service nova-compute"]),
          services: [...nova.controllerServices],
          timeoutSeconds: 900,
        },
      ] satisfies Step[]
    ).map(verifiedByCheck),
  };
}
