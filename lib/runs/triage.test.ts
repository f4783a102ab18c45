import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../i18n/messages";
import { diagnose, HINT_IDS, hintText, triageHintText, type Hint } from "./triage";

/** The hint in English, as the runner logs it and stores it in `Triage.hint`. */
const english = (text: string) => {
  const hint = diagnose(text);
  return hint && hintText("en", hint);
};

/** What verify.vm or verify.network printed in the lab (lib/report/fixtures). */
const fixture = (name: string) => readFileSync(new URL(`../report/fixtures/${name}`, import.meta.url), "utf8").trimEnd().split("\n");

/** verify.vm's line for the VM on a compute. */
const vmLine = (host: string, fields: string) => `SP_VM host=${host} server=sp-verify-${host} image=stackpilot-guest ${fields}`;
const NOT_BOOTED = "active_seconds=- fixed_ip=- floating_ip=- ping=skipped ssh=skipped console=skipped";

/** Real-looking lines, as the tools print them, and what the hint must say (all patterns, in any case). */
const CASES: { name: string; lines: string[]; says: RegExp[] }[] = [
  {
    name: "an SSH login the host refused (StackPilot's own message)",
    lines: ["root@10.123.0.130:22 refused the password: check the user name and the password on the credentials page."],
    says: [/refused StackPilot's SSH login/, /credentials page/],
  },
  {
    name: "a port in use (Apache)",
    lines: ["Mar 02 10:32:15 ct httpd[2211]: (98)Address already in use: AH00072: make_sock: could not bind to address [::]:5000"],
    says: [/Port 5000 is already taken/, /ss -ltnp 'sport = :5000'/],
  },
  {
    name: "a port in use (nginx's bind() failed)",
    lines: ['nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)'],
    says: [/Port 80 is already taken/],
  },
  {
    name: "a port in use (etcd, address before the port)",
    lines: ["Mar 02 10:32:15 ct etcd[412]: listen tcp 10.123.0.110:2379: bind: address already in use"],
    says: [/Port 2379 is already taken/],
  },
  {
    name: "a port in use without a port in the line (MariaDB)",
    lines: ["2024-03-02 10:32:15 0 [ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use"],
    says: [/A port the service needs is already taken/, /ss -ltnp/],
  },
  {
    name: "a bind() failure worded without errno text",
    lines: ["[error] bind() to 127.0.0.1:11211 failed"],
    says: [/Port 11211 is already taken/],
  },
  {
    name: "a wrong database password (keystone, through pymysql)",
    lines: [`sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, "Access denied for user 'keystone'@'ct' (using password: YES)")`],
    says: [/user keystone/, /KEYSTONE_DBPASS/],
  },
  {
    name: "a wrong database password (glance)",
    lines: ["ERROR 1045 (28000): Access denied for user 'glance'@'localhost' (using password: YES)"],
    says: [/GLANCE_DBPASS/],
  },
  {
    name: "a wrong MariaDB root password",
    lines: ["ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)"],
    says: [/root password/, /MARIADB_ROOT_PASS/],
  },
  {
    name: "a name that does not resolve (ssh)",
    lines: ["ssh: Could not resolve hostname c1: Name or service not known"],
    says: [/The name c1 does not resolve/, /\/etc\/hosts/],
  },
  {
    name: "a name that does not resolve (curl)",
    lines: ["curl: (6) Could not resolve host: controller.example"],
    says: [/The name controller\.example does not resolve/],
  },
  {
    name: "a name that does not resolve (ping)",
    lines: ["ping: ct: Temporary failure in name resolution"],
    says: [/The name ct does not resolve/],
  },
  {
    name: "a name that does not resolve (Python)",
    lines: ["socket.gaierror: [Errno -2] Name or service not known"],
    says: [/A name does not resolve/],
  },
  {
    name: "a name that does not resolve (BSD resolver)",
    lines: ["getaddrinfo: nodename nor servname provided, or not known"],
    says: [/does not resolve/],
  },
  {
    name: "clock skew (make)",
    lines: ["make: warning:  Clock skew detected.  Your build may be incomplete."],
    says: [/clocks of the hosts disagree/, /chronyc/],
  },
  {
    name: "clock skew (chronyc tracking)",
    lines: ["Leap status     : Not synchronised"],
    says: [/clock skew/],
  },
  {
    name: "clock skew (a token not valid yet)",
    lines: ["keystonemiddleware.auth_token: The token 'gAAAAABl' is not valid yet (issued in the future)"],
    says: [/clock skew/],
  },
  {
    name: "clock skew (etcd)",
    lines: ['etcd[412]: the clock difference against peer 8e9e05c52164694d is too high [1.2s > 1s]'],
    says: [/clock skew/],
  },
  {
    name: "an SELinux denial (audit)",
    lines: ['type=AVC msg=audit(1709375535.123:412): avc:  denied  { name_bind } for  pid=2211 comm="httpd" src=5000 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0'],
    says: [/SELinux denied httpd an access/, /setenforce 0/],
  },
  {
    name: "an SELinux denial (setroubleshoot)",
    lines: ["setroubleshoot[881]: SELinux is preventing /usr/sbin/httpd from name_bind access on the tcp_socket port 5000."],
    says: [/SELinux denied/],
  },
  {
    name: "a yum repository that does not answer (dead mirrorlist)",
    lines: [
      'Could not retrieve mirrorlist http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os&infra=stock error was',
      "14: curl#6 - \"Could not resolve host: mirrorlist.centos.org; Unknown error\"",
      " One of the configured repositories failed (Unknown),",
      "Cannot find a valid baseurl for repo: base/7/x86_64",
    ],
    says: [/yum cannot reach its repositories/, /vault/],
  },
  {
    name: "a yum repository without metadata",
    lines: ["Error: Cannot retrieve repository metadata (repomd.xml) for repository: centos-openstack-train. Please verify its path and try again"],
    says: [/yum cannot reach/],
  },
  {
    name: "a yum mirror out of mirrors",
    lines: ["Error downloading packages:", "  mariadb-server-5.5.68-1.el7.x86_64: [Errno 256] No more mirrors to try."],
    says: [/yum cannot reach/],
  },
  {
    name: "an apt repository that does not answer (proxy down)",
    lines: [
      "Err:1 http://deb.debian.org/debian bookworm InRelease",
      "  Could not connect to 10.123.0.1:3128 (10.123.0.1). - connect (111: Connection refused)",
      "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Could not connect to 10.123.0.1:3128 (10.123.0.1). - connect (111: Connection refused)",
    ],
    says: [/apt cannot download/, /proxy/],
  },
  {
    name: "an apt repository whose name does not resolve",
    lines: ["Err:1 http://deb.debian.org/debian bookworm InRelease", "  Temporary failure resolving 'deb.debian.org'"],
    says: [/apt cannot download/],
  },
  {
    name: "an apt mirror that refuses",
    lines: ["E: Unable to connect to deb.debian.org:http:"],
    says: [/apt cannot download/],
  },
  {
    name: "RabbitMQ down (old rabbitmqctl)",
    lines: ["Error: unable to connect to node rabbit@ct: nodedown"],
    says: [/rabbitmqctl cannot reach the RabbitMQ node/],
  },
  {
    name: "RabbitMQ down (new rabbitmqctl)",
    lines: ["Error: unable to perform an operation on node 'rabbit@ct'. Please see diagnostics information and suggestions below."],
    says: [/RabbitMQ node/],
  },
  {
    name: "a wrong RabbitMQ password",
    lines: ["2024-03-02 10:32:15.123 [error] <0.912.0> PLAIN login refused: user 'openstack' - invalid credentials", "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."],
    says: [/RABBIT_PASS/],
  },
  {
    name: "ssh refusing the controller's key",
    lines: ["root@c1: Permission denied (publickey,gssapi-keyex,gssapi-with-mic,password)."],
    says: [/root@c1 refused the controller's SSH key/, /ssh-trust/],
  },
  {
    name: "a full disk",
    lines: ["mysqld: Can't create/write to file '/var/tmp/ibXXXX' (Errcode: 28 \"No space left on device\")"],
    says: [/disk on this host is full/, /df -h/],
  },
  {
    name: "a package that does not exist (yum)",
    lines: ["No package openstack-keystone available.", "Error: Nothing to do"],
    says: [/The package openstack-keystone is in none/],
  },
  {
    name: "a package that does not exist (apt)",
    lines: ["E: Unable to locate package python3-pymysqlx"],
    says: [/The package python3-pymysqlx is in none/],
  },
  {
    name: "a package without a candidate (apt)",
    lines: ["E: Package 'glance-api' has no installation candidate"],
    says: [/The package glance-api is in none/],
  },
  {
    name: "Keystone refusing a password",
    lines: ["The request you have made requires authentication. (HTTP 401) (Request-ID: req-3c1f)"],
    says: [/Keystone refused the credentials/, /ADMIN_PASS/],
  },
  {
    name: "Keystone not answering",
    lines: ["Unable to establish connection to http://ct:5000/v3/auth/tokens: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))"],
    says: [/Nothing answers at http:\/\/ct:5000\/v3\/auth\/tokens/],
  },
  {
    name: "MariaDB not answering",
    lines: ["ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/lib/mysql/mysql.sock' (2)"],
    says: [/MariaDB does not answer/],
  },
  {
    name: "the package manager's lock, apt naming its holder",
    lines: ["E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812 (unattended-upgr)"],
    says: [/Process 812 \(unattended-upgr\) holds the package manager's lock/, /ps -fp 812/],
  },
  {
    name: "the package manager's lock, held past the package step's wait",
    lines: ["The package manager's lock is still held by process 4711 (apt-get) after 300 s: another install is running on this host."],
    says: [/Process 4711 \(apt-get\) holds the package manager's lock/, /did not stop it/],
  },
  {
    name: "the package manager's lock, holder unnamed",
    lines: ["E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?"],
    says: [/Another package manager is running/],
  },
  {
    name: "yum's lock, with the holder's pid lines below",
    lines: [
      "Another app is currently holding the yum lock; waiting for it to exit...",
      "  The other application is: yum",
      "    Memory :  45 M RSS (362 MB VSZ)",
      "    Started: Mon Mar  2 10:30:01 2024 - 00:12 ago",
      "    State  : Running, pid: 4242",
    ],
    says: [/Process 4242 holds yum's lock/, /ps -fp 4242/],
  },
  {
    name: "a command killed with SIGKILL (bash's report)",
    lines: ["bash: line 14:  4321 Killed                  DEBIAN_FRONTEND=noninteractive apt-get install -y -q vim"],
    says: [/killed on the host \(SIGKILL\)/, /dmesg/],
  },
  {
    name: "a step that ended with exit code 137",
    lines: ["Install vim failed on ct (exit code 137)"],
    says: [/killed on the host \(SIGKILL\)/],
  },
  {
    name: "dpkg interrupted (apt's refusal)",
    lines: ["E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem."],
    says: [/package install on this host was cut off/, /dpkg --configure -a/],
  },
  {
    name: "dpkg interrupted, the package step's repair failed",
    lines: ["Could not repair the interrupted package install: dpkg --force-confdef --force-confold --configure -a failed."],
    says: [/cut off \(dpkg was interrupted\)/],
  },
  {
    name: "an unfinished yum transaction, the package step's repair failed",
    lines: ["Could not repair the interrupted package install: yum-complete-transaction --cleanup-only failed."],
    says: [/yum transaction on this host was cut off/, /yum-complete-transaction/],
  },
  {
    name: "an unfinished yum transaction (yum's warning)",
    lines: [
      "There are unfinished transactions remaining. You might consider running yum-complete-transaction, or \"yum-complete-transaction --cleanup-only\" and \"yum history redo last\", first to finish them.",
      "Error: Nothing to do",
    ],
    says: [/yum transaction on this host was cut off/],
  },
  {
    name: "an address the host does not have",
    lines: ["listen tcp 192.168.100.110:2380: bind: cannot assign requested address"],
    says: [/address this host does not have/, /port 2380/],
  },
  {
    name: "etcd with an old data directory",
    lines: ["etcdmain: member 8e9e05c52164694d has already been bootstrapped"],
    says: [/etcd's data directory/],
  },
  {
    name: "a unit that does not exist",
    lines: ["Failed to restart openstack-glance-registry.service: Unit openstack-glance-registry.service not found."],
    says: [/The unit openstack-glance-registry does not exist/],
  },
  {
    name: "no valid host for a test VM (its fault names the compute)",
    lines: [vmLine("c1", `status=ERROR ${NOT_BOOTED}`), "SP_VM_FAULT host=c1 No valid host was found. There are not enough hosts available.", "A VM did not become ACTIVE: sp-verify-c1 on c1 (ERROR)."],
    says: [/no valid host for the test VM on c1/, /openstack compute service list/, /nova-scheduler\.log/],
  },
  {
    name: "no valid host, from the client alone",
    lines: ["Error creating server: sp-verify-c1", "No valid host was found. There are not enough hosts available. (HTTP 500)"],
    says: [/no valid host for the test VM:/, /Placement has no inventory/],
  },
  {
    name: "a port Neutron could not bind on a compute (the lab's verify.vm output)",
    lines: fixture("verifyVm.debian12-zed.txt"),
    says: [/bind the test VM's port on c2/, /physical_interface_mappings/, /journalctl -u neutron-linuxbridge-agent` on c2/],
  },
  {
    name: "a network agent that is not alive (the lab's verify.network output)",
    lines: fixture("verifyNetwork.debian12-zed.txt"),
    says: [/The Linux bridge agent on c2 is not alive/, /journalctl -u neutron-linuxbridge-agent` on c2/],
  },
  {
    name: "a network agent that is not alive, the table cut off (verify.network's own words)",
    lines: ["Not alive: DHCP agent ct False"],
    says: [/The DHCP agent on ct is not alive/, /journalctl -u neutron-dhcp-agent` on ct/],
  },
  {
    name: "a test VM left in BUILD, no fault recorded",
    lines: [vmLine("c1", "status=ACTIVE active_seconds=19 fixed_ip=172.16.1.50 floating_ip=10.123.1.210 ping=ok ssh=ok console=booted"), vmLine("c2", `status=BUILD ${NOT_BOOTED}`)],
    says: [/sp-verify-c2 on c2 did not become ACTIVE \(status BUILD\)/, /journalctl -u nova-compute/, /openstack server show sp-verify-c2/],
  },
  {
    name: "a test VM in ERROR with its fault",
    lines: [
      vmLine("c1", `status=ERROR ${NOT_BOOTED}`),
      "SP_VM_FAULT host=c1 internal error: process exited while connecting to monitor: Could not access KVM kernel module: No such file or directory",
      "SP_VM_DELETED host=c1 server=sp-verify-c1",
    ],
    says: [/status ERROR\); Nova says: internal error: .*Could not access KVM kernel module: No such file or directory\. Look at nova-compute's journal on c1/],
  },
  {
    name: "a test VM ACTIVE that SSH does not reach (not the host's own SSH key)",
    lines: [vmLine("c2", "status=ACTIVE active_seconds=31 fixed_ip=172.16.1.51 floating_ip=10.123.1.211 ping=ok ssh=failed console=booted"), "stackpilot@10.123.1.211: Permission denied (publickey)."],
    says: [/sp-verify-c2 on c2 is ACTIVE but did not answer SSH at 10\.123\.1\.211/, /security group/, /neutron-l3-agent/, /neutron-metadata-agent/],
  },
  {
    name: "a test VM ACTIVE without a floating IP that answers nothing",
    lines: [vmLine("c1", "status=ACTIVE active_seconds=25 fixed_ip=172.16.1.50 floating_ip=- ping=failed ssh=failed console=booted"), "ssh: connect to host 172.16.1.50 port 22: Connection refused"],
    says: [/did not answer ping, SSH at 172\.16\.1\.50/],
  },
  {
    name: "a service that did not start (generic, last)",
    lines: ['Job for mariadb.service failed because the control process exited with error code.', 'See "systemctl status mariadb.service" and "journalctl -xeu mariadb.service" for details.'],
    says: [/The service mariadb did not start/, /journalctl -u mariadb/],
  },
];

describe("diagnose", () => {
  it.each(CASES)("$name", ({ lines, says }) => {
    const hint = english(lines.join("\n"));
    expect(hint).not.toBeNull();
    for (const pattern of says) expect(hint).toMatch(pattern);
  });

  it("gives one sentence: no line breaks, ends with a full stop", () => {
    for (const { lines } of CASES) {
      const hint = english(lines.join("\n"))!;
      expect(hint).not.toContain("\n");
      expect(hint).toMatch(/\.$/);
    }
  });

  it("says nothing about a line it does not know", () => {
    expect(english("keystone-manage: created the fernet keys in /etc/keystone/fernet-keys")).toBeNull();
    expect(english("Mar 02 10:32:15 ct systemd[1]: Started mariadb.service - MariaDB 10.11.6 database server.")).toBeNull();
    expect(english("")).toBeNull();
    // The VM and network checks when all went well.
    expect(english(fixture("verifyNetwork.debian12-zed.txt").map((line) => line.replace("XXX", ":-)")).slice(0, -1).join("\n"))).toBeNull();
    expect(english([vmLine("c1", "status=ACTIVE active_seconds=19 fixed_ip=172.16.1.50 floating_ip=10.123.1.210 ping=ok ssh=ok console=booted"), "SP_VM_DELETED host=c1 server=sp-verify-c1"].join("\n"))).toBeNull();
  });

  it("does not take a time of day for a port", () => {
    expect(english("Mar 02 10:32:15 ct mysqld[88]: [ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use")).toMatch(/^A port the service needs/);
  });

  it("puts the most specific cause first, wherever it is in the text", () => {
    // The full disk explains the service that did not start.
    expect(english(["Job for mariadb.service failed because the control process exited with error code.", "InnoDB: Error: No space left on device"].join("\n"))).toMatch(/disk on this host is full/);
    // The dead repository explains the missing package.
    expect(english(["No package openstack-keystone available.", "Cannot find a valid baseurl for repo: base/7/x86_64"].join("\n"))).toMatch(/yum cannot reach/);
    // apt's resolver failure is the repository's problem, not a host name of the plan.
    expect(english("W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'")).toMatch(/apt cannot download/);
    // rabbitmqctl's "unable to connect to node" is RabbitMQ's, not apt's "Unable to connect to".
    expect(english("Error: unable to connect to node rabbit@ct: nodedown")).toMatch(/RabbitMQ node/);
    // The package steps' own repair lines are not the failure: the package that is missing is.
    const repaired = [
      "[stackpilot] Waiting up to 300 s for process 2066 (dpkg) to release the package manager's lock.",
      "[stackpilot] Recovering an interrupted package install: dpkg --force-confdef --force-confold --configure -a",
      "E: Unable to locate package etcd-serverr",
    ];
    expect(english(repaired.join("\n"))).toMatch(/The package etcd-serverr is in none/);
    expect(diagnose(repaired.slice(0, 2).join("\n"))).toBeNull();
    // A missing package beats yum's warning about an unfinished transaction.
    expect(english(["There are unfinished transactions remaining.", "No package openstack-keystonee available."].join("\n"))).toMatch(/openstack-keystonee/);
    // A wrong password beats the generic refusal.
    expect(english(["Access denied for user 'glance'@'ct' (using password: YES)", "Connection refused"].join("\n"))).toMatch(/GLANCE_DBPASS/);
  });
});

describe("hints in both languages", () => {
  it("says every case in Chinese too, with the same values filled in and none left open", () => {
    for (const { name, lines } of CASES) {
      const hint = diagnose(lines.join("\n"))!;
      const zh = hintText("zh-CN", hint);
      expect(zh, name).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, name).not.toMatch(/\{\w+\}/);
      for (const value of Object.values(hint.params)) expect(zh, name).toContain(value);
    }
  });

  it("has a sentence for every hint id in both languages, naming the same values", () => {
    const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
    for (const id of HINT_IDS) {
      const key = `triage.hint.${id}` as keyof (typeof MESSAGES)["en"];
      expect(MESSAGES.en[key], id).toBeTruthy();
      expect(MESSAGES["zh-CN"][key], id).toBeTruthy();
      expect(placeholders(MESSAGES["zh-CN"][key]), id).toEqual(placeholders(MESSAGES.en[key]));
    }
  });

  it("returns an id and the values, not a sentence; every rule's id is known", () => {
    const hint: Hint = diagnose("listen tcp 10.123.0.110:2379: bind: address already in use")!;
    expect(hint).toEqual({ id: "port-in-use", params: { port: "2379" } });
    expect(HINT_IDS).toContain(diagnose("No space left on device")!.id);
  });

  it("shows a stored triage in the reader's language, or its English sentence when it has no id (older runs)", () => {
    const diagnosis = diagnose("Port 5000: Address already in use")!;
    expect(triageHintText("zh-CN", { hint: hintText("en", diagnosis), diagnosis })).toMatch(/^端口 5000 已被其他程序占用/);
    expect(triageHintText("zh-CN", { hint: "An old English hint." })).toBe("An old English hint.");
    expect(triageHintText("en", { hint: null, diagnosis: null })).toBeNull();
  });
});
