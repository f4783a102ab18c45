import type { ProfileName } from "../../plan/profiles";

/**
 * Everything that differs between distributions and OpenStack releases, as data. The phases read
 * these facts; a new profile is a new table of them, not a change to the phases or the runner.
 */
export type DistroFacts = {
  profile: ProfileName;
  os: { id: string; versionPrefix: string; label: string };
  python: string;
  packageManager: "yum" | "apt";
  packageRecovery: PackageRecovery;
  /** Tools every host gets in the base phase (the tutorial's list on CentOS). */
  basePackages: string[];
  /** Repository packages that bring the OpenStack release (CentOS: centos-release-openstack-train). */
  releasePackages: string[];
  clientPackages: string[];
  firewalld: boolean;
  selinux: boolean;
  chrony: { packages: string[]; service: string; config: string };
  mariadb: { packages: string[]; service: string; config: string };
  rabbitmq: { packages: string[]; service: string };
  memcached: { packages: string[]; service: string } & (
    | { style: "sysconfig"; config: string } // OPTIONS="-l 127.0.0.1,::1,ct"
    | { style: "conf"; config: string } // one "-l" line in /etc/memcached.conf
  );
  etcd: { packages: string[]; service: string; config: string; dataDir: string };
  keystone: { packages: string[]; config: string; user: string } & (
    | { web: "httpd-mod-wsgi"; service: string; httpdConfig: string; wsgiConfigSource: string; wsgiConfigTarget: string }
    | { web: "uwsgi"; service: string }
  );
  glance: {
    packages: string[];
    apiConfig: string;
    /** Train still has glance-registry; later releases do not. */
    registryConfig: string | null;
    services: string[];
    user: string;
    /** Glance's state directory, owned by its user as a whole (the tutorial's `chown -hR`). */
    stateDir: string;
    imagesDir: string;
    /** How the file store is configured: Train's [glance_store] stores, or Zed's enabled_backends. */
    storeStyle: "stores" | "enabled_backends";
  };
  placement: PlacementFacts;
  nova: NovaFacts;
  neutron: NeutronFacts;
};

/** Placement on the controller (compute scope). */
export type PlacementFacts = {
  packages: string[];
  config: string;
  user: string;
  /** The openstack client's plugin for `openstack resource provider list` (osc-placement). */
  clientPackages: string[];
} & (
  // RDO: openstack-placement-api is a site of the httpd that serves Keystone; Train's site lacks
  // the access grant to /usr/bin, where its WSGI script is (the fix every Train install applies).
  | { web: "httpd"; service: string; siteConfig: string }
  // Debian: the placement-api package runs its own uwsgi on :8778, started at install time.
  | { web: "uwsgi"; service: string }
);

/** Nova on the controller and the computes (compute scope). */
export type NovaFacts = {
  controllerPackages: string[];
  /**
   * The controller's units: the API (RDO's also serves metadata on :8775, Debian runs
   * nova-api-metadata for it), scheduler, conductor and the noVNC console proxy.
   */
  controllerServices: string[];
  computePackages: string[];
  /** Started before nova-compute, which connects to it at start. */
  libvirtService: string;
  /** libvirt's QEMU driver settings (not an INI file: top-level `key = value` lines). */
  libvirtQemuConfig: string;
  computeService: string;
  config: string;
  /**
   * Where a compute's [libvirt] virt_type takes effect: Debian's nova-compute reads
   * /etc/nova/nova-compute.conf after nova.conf (its package writes a virt_type there).
   */
  virtTypeConfig: string;
  user: string;
  /**
   * Debian's console proxy package starts the spice proxy (`startedAtInstall`) at install, before
   * its defaults file can say novnc; that file then keeps it from starting again. Null: nothing to choose.
   */
  consoleProxy: { defaults: string; startedAtInstall: string } | null;
  /** Train's guide sets use_neutron and the Noop firewall driver (options later releases dropped). */
  legacyNetworkOptions: boolean;
  /**
   * [service_user] with send_service_user_token: required by Nova since the 2023 volume-detach
   * fix (OSSA-2023-003), which Debian 12's Nova 26 carries; Train predates it.
   */
  serviceUserToken: boolean;
};

/** Neutron with the Linux bridge agent, the install guide's networking option 2 (compute scope). */
export type NeutronFacts = {
  /** The controller: the server, the ML2 plugin, and its own Linux bridge, L3, DHCP and metadata agents. */
  controllerPackages: string[];
  /** The API and the RPC workers: one neutron-server on RDO, Debian splits it into neutron-api (uwsgi) and neutron-rpc-server. */
  serverServices: string[];
  /** The controller's agents besides the Linux bridge agent. */
  controllerAgentServices: string[];
  /** What a compute needs for its Linux bridge agent. */
  agentPackages: string[];
  linuxbridgeService: string;
  config: string;
  ml2Config: string;
  linuxbridgeConfig: string;
  l3Config: string;
  dhcpConfig: string;
  metadataConfig: string;
  user: string;
  /** RDO's services read the plugin's settings through /etc/neutron/plugin.ini, a link the guide makes. Null: none. */
  pluginLink: string | null;
  /**
   * Debian's neutron-api runs under uwsgi with 8 processes of 32 threads; Neutron's eventlet
   * cannot switch greenlets across threads ("greenlet.error: cannot switch to a different
   * thread") and requests hang. One thread per process, and two processes, which also keeps the
   * controller's memory down. Null: no uwsgi (RDO's neutron-server).
   */
  apiUwsgi: { config: string; processes: number } | null;
  /** Neutron 21 (Zed) marks the Linux bridge driver experimental: it refuses to start without `[experimental] linuxbridge = true`. */
  experimentalLinuxbridge: boolean;
};

/** Where Neutron's packages put its files and who runs it: upstream's layout, the same on RDO and Debian. */
export const NEUTRON_UPSTREAM_FILES = {
  config: "/etc/neutron/neutron.conf",
  ml2Config: "/etc/neutron/plugins/ml2/ml2_conf.ini",
  linuxbridgeConfig: "/etc/neutron/plugins/ml2/linuxbridge_agent.ini",
  l3Config: "/etc/neutron/l3_agent.ini",
  dhcpConfig: "/etc/neutron/dhcp_agent.ini",
  metadataConfig: "/etc/neutron/metadata_agent.ini",
  user: "neutron",
} as const;

/**
 * How an install cut off midway (a cancel, kill -9 of the server, a dropped connection, a reboot)
 * is repaired before the next one starts: every package step does this first (sp_recover_packages).
 */
export type PackageRecovery = {
  /**
   * Who may hold the package manager's lock. "open-files": dpkg and apt lock with fcntl, and the
   * kernel drops such a lock when its holder dies, so the holder is whoever has a lock file open
   * and a lock is never stale. "pid-file": yum writes its PID to a file and leaves the file behind
   * when it is killed; a file naming a process that is gone is removed.
   */
  lock: { style: "open-files"; files: string[] } | { style: "pid-file"; file: string };
  /** How long another process's install may hold the lock before the step gives up. */
  lockWaitSeconds: number;
  /** In order: when `when` (a shell test) finds the package database left mid-change, `run` repairs it. */
  repairs: { when: string; run: string }[];
};
