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
    imagesDir: string;
    /** How the file store is configured: Train's [glance_store] stores, or Zed's enabled_backends. */
    storeStyle: "stores" | "enabled_backends";
  };
};
