import type { DistroFacts } from "./distroFacts";

/** The tutorial's own system: CentOS 7 with RDO's OpenStack Train. */
export const centos7Train: DistroFacts = {
  profile: "centos7-train",
  os: { id: "centos", versionPrefix: "7", label: "CentOS 7" },
  python: "python",
  packageManager: "yum",
  packageRecovery: {
    lock: { style: "pid-file", file: "/var/run/yum.pid" },
    lockWaitSeconds: 300,
    repairs: [
      // An unfinished transaction's journal: finish it (yum-complete-transaction is in yum-utils)…
      {
        when: "ls /var/lib/yum/transaction-all.* >/dev/null 2>&1",
        run: "{ rpm -q yum-utils >/dev/null 2>&1 || yum -y install yum-utils; } && yum-complete-transaction -y",
      },
      // …or, when it cannot be finished, drop the journal: the install that follows brings what is missing.
      { when: "ls /var/lib/yum/transaction-all.* >/dev/null 2>&1", run: "yum-complete-transaction --cleanup-only" },
    ],
  },
  basePackages: ["net-tools", "bash-completion", "vim", "gcc", "gcc-c++", "make", "pcre", "pcre-devel", "expat-devel", "cmake", "bzip2", "lrzsz"],
  releasePackages: ["centos-release-openstack-train"],
  clientPackages: ["python-openstackclient", "openstack-selinux", "openstack-utils"],
  firewalld: true,
  selinux: true,
  chrony: { packages: ["chrony"], service: "chronyd", config: "/etc/chrony.conf" },
  mariadb: { packages: ["mariadb", "mariadb-server", "python2-PyMySQL", "libibverbs"], service: "mariadb", config: "/etc/my.cnf.d/openstack.cnf" },
  rabbitmq: { packages: ["rabbitmq-server"], service: "rabbitmq-server" },
  memcached: { packages: ["memcached", "python-memcached"], service: "memcached", style: "sysconfig", config: "/etc/sysconfig/memcached" },
  etcd: { packages: ["etcd"], service: "etcd", config: "/etc/etcd/etcd.conf", dataDir: "/var/lib/etcd/default.etcd" },
  keystone: {
    packages: ["openstack-keystone", "httpd", "mod_wsgi"],
    config: "/etc/keystone/keystone.conf",
    user: "keystone",
    web: "httpd-mod-wsgi",
    service: "httpd",
    httpdConfig: "/etc/httpd/conf/httpd.conf",
    wsgiConfigSource: "/usr/share/keystone/wsgi-keystone.conf",
    wsgiConfigTarget: "/etc/httpd/conf.d/wsgi-keystone.conf",
  },
  glance: {
    packages: ["openstack-glance"],
    apiConfig: "/etc/glance/glance-api.conf",
    registryConfig: "/etc/glance/glance-registry.conf",
    services: ["openstack-glance-api", "openstack-glance-registry"],
    user: "glance",
    stateDir: "/var/lib/glance/",
    imagesDir: "/var/lib/glance/images/",
    storeStyle: "stores",
  },
  placement: {
    packages: ["openstack-placement-api"],
    config: "/etc/placement/placement.conf",
    user: "placement",
    clientPackages: ["python2-osc-placement"],
    web: "httpd",
    service: "httpd",
    siteConfig: "/etc/httpd/conf.d/00-placement-api.conf",
  },
  nova: {
    controllerPackages: ["openstack-nova-api", "openstack-nova-conductor", "openstack-nova-novncproxy", "openstack-nova-scheduler"],
    controllerServices: ["openstack-nova-api", "openstack-nova-scheduler", "openstack-nova-conductor", "openstack-nova-novncproxy"],
    computePackages: ["openstack-nova-compute"],
    libvirtService: "libvirtd",
    computeService: "openstack-nova-compute",
    config: "/etc/nova/nova.conf",
    virtTypeConfig: "/etc/nova/nova.conf",
    user: "nova",
    consoleProxy: null,
    legacyNetworkOptions: true,
    serviceUserToken: false,
  },
};
