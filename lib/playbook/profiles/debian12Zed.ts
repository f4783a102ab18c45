import type { DistroFacts } from "./distroFacts";

/** Debian 12's own OpenStack packages (Zed): what the local lab runs for real. */
export const debian12Zed: DistroFacts = {
  profile: "debian12-zed",
  os: { id: "debian", versionPrefix: "12", label: "Debian 12" },
  python: "python3",
  packageManager: "apt",
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
    imagesDir: "/var/lib/glance/images/",
    storeStyle: "enabled_backends",
  },
};
