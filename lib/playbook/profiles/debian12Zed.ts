import { APT_OPTIONS } from "../packages";
import { NEUTRON_UPSTREAM_FILES, type DistroFacts } from "./distroFacts";

/** Debian 12's own OpenStack packages (Zed): what the local lab runs for real. */
export const debian12Zed: DistroFacts = {
  profile: "debian12-zed",
  os: { id: "debian", versionPrefix: "12", label: "Debian 12" },
  python: "python3",
  packageManager: "apt",
  packageRecovery: {
    lock: { style: "open-files", files: ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/cache/apt/archives/lock"] },
    lockWaitSeconds: 300,
    repairs: [
      // What apt reads as "dpkg was interrupted": a journal in updates/, or packages left unpacked or half-configured.
      { when: '[ -n "$(ls -A /var/lib/dpkg/updates 2>/dev/null)" ] || [ -n "$(dpkg --audit 2>/dev/null)" ]', run: "dpkg --force-confdef --force-confold --configure -a" },
      // A package cut off while unpacking (half-installed), or one whose dependency never came: apt installs what is missing.
      { when: '[ -n "$(dpkg --audit 2>/dev/null)" ]', run: `apt-get -f install -y -q --no-install-recommends ${APT_OPTIONS}` },
    ],
  },
  basePackages: ["python3", "crudini", "curl", "ca-certificates", "iproute2", "procps", "cron", "qemu-utils"],
  releasePackages: [],
  clientPackages: ["python3-openstackclient"],
  firewalld: false,
  selinux: false,
  chrony: { packages: ["chrony"], service: "chrony", config: "/etc/chrony/chrony.conf" },
  mariadb: { packages: ["mariadb-server", "python3-pymysql"], service: "mariadb", config: "/etc/mysql/mariadb.conf.d/99-openstack.cnf" },
  rabbitmq: { packages: ["rabbitmq-server"], service: "rabbitmq-server" },
  memcached: { packages: ["memcached", "python3-memcache"], service: "memcached", style: "conf", config: "/etc/memcached.conf" },
  etcd: { packages: ["etcd-server"], service: "etcd", config: "/etc/default/etcd", dataDir: "/var/lib/etcd/default" },
  keystone: { packages: ["keystone"], config: "/etc/keystone/keystone.conf", user: "keystone", web: "uwsgi", service: "keystone" },
  glance: {
    packages: ["glance-api"],
    apiConfig: "/etc/glance/glance-api.conf",
    registryConfig: null,
    services: ["glance-api"],
    user: "glance",
    stateDir: "/var/lib/glance/",
    imagesDir: "/var/lib/glance/images/",
    storeStyle: "enabled_backends",
  },
  placement: {
    packages: ["placement-api"],
    config: "/etc/placement/placement.conf",
    user: "placement",
    clientPackages: ["python3-osc-placement"],
    web: "uwsgi",
    service: "placement-api",
  },
  nova: {
    controllerPackages: ["nova-api", "nova-conductor", "nova-consoleproxy", "nova-scheduler"],
    controllerServices: ["nova-api", "nova-api-metadata", "nova-scheduler", "nova-conductor", "nova-novncproxy"],
    // nova-compute brings nova-compute-kvm (libvirt, qemu-system-x86); virt_type says whether KVM is used.
    computePackages: ["nova-compute"],
    libvirtService: "libvirtd",
    libvirtQemuConfig: "/etc/libvirt/qemu.conf",
    computeService: "nova-compute",
    config: "/etc/nova/nova.conf",
    virtTypeConfig: "/etc/nova/nova-compute.conf",
    user: "nova",
    consoleProxy: { defaults: "/etc/default/nova-consoleproxy", startedAtInstall: "nova-spicehtml5proxy" },
    legacyNetworkOptions: false,
    serviceUserToken: true,
  },
  neutron: {
    controllerPackages: ["neutron-server", "neutron-linuxbridge-agent", "neutron-l3-agent", "neutron-dhcp-agent", "neutron-metadata-agent"],
    serverServices: ["neutron-api", "neutron-rpc-server"],
    controllerAgentServices: ["neutron-l3-agent", "neutron-dhcp-agent", "neutron-metadata-agent"],
    agentPackages: ["neutron-linuxbridge-agent"],
    linuxbridgeService: "neutron-linuxbridge-agent",
    ...NEUTRON_UPSTREAM_FILES,
    apiUwsgi: { config: "/etc/neutron/neutron-api-uwsgi.ini", processes: 2 },
    pluginLink: null,
    experimentalLinuxbridge: true,
  },
};
