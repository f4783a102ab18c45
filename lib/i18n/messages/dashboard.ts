import { defineMessages } from "../defineMessages";

/**
 * Texts of the dashboard: the run page, its phases and steps, the log, the port matrix, the
 * timeline, the topology, and the failure triage's hints (`triage.hint.<id>`, see
 * lib/runs/triage.ts; the report says them too). Some English texts are what the e2e tests
 * click or read: "Retry this step", "Resume…", "Cancel", "● live"… keep them as they are.
 */
export const dashboardMessages = defineMessages({
  en: {
    "dashboard.kind.host-check": "Host check",
    "dashboard.kind.deploy": "Deployment",
    "dashboard.loadFailed": "Could not load this run: {error}",
    "dashboard.loading": "Loading the run…",
    "dashboard.progress.steps": "{done} of {total} steps done · started {time}",
    "dashboard.progress.hosts": "{done} of {total} hosts done · started {time}",
    "dashboard.stream.live": "● live",
    "dashboard.stream.connecting": "connecting…",
    "dashboard.stream.reconnecting": "reconnecting…",
    "dashboard.backToPlan": "Back to the plan",
    "dashboard.exportReport": "Export install report:",
    "dashboard.hostsList": "Hosts",

    "status.pending": "pending",
    "status.running": "running",
    "status.succeeded": "succeeded",
    "status.failed": "failed",
    "status.skipped": "already done",
    "status.cancelled": "cancelled",
    "status.interrupted": "interrupted",
    "status.manual": "done by hand",
    "status.paused": "paused",

    "duration.seconds": "{n} s",
    "duration.minutes": "{m} min {s} s",
    "duration.hours": "{h} h {m} min",
    "duration.tickMinutes": "{m} min",

    "controls.resume.failed": "Resume from failed step",
    "controls.resume.interrupted": "Resume from interrupted step",
    "controls.resume.cancelled": "Resume from cancelled step",
    "controls.resume.paused": "Resume",
    "controls.resuming": "Resuming…",
    "controls.cancel": "Cancel",
    "controls.cancelQuestion": "Stop the commands running on the hosts now?",
    "controls.cancelYes": "Yes, cancel the run",
    "controls.cancelNo": "No, keep it running",
    "controls.planChanged": "The plan changed since this run started",
    "controls.planChangedText": "The steps still to run will use the plan as it is now. Steps already done are not run again.",
    "controls.what": "What",
    "controls.then": "Then",
    "controls.now": "Now",
    "controls.acceptChanges": "Resume with these changes",
    "controls.notNow": "Not now",

    "step.retry": "Retry this step",
    "step.markDone": "Mark as done by hand",
    "step.markDoneQuestion": "Mark “{title}” on {host} as done by hand? StackPilot will not run it again in this run and records that you did it.",
    "step.markDoneYes": "Yes, I did it by hand",
    "step.markDoneNo": "No",
    "step.confirmGroup": "Confirm done by hand",
    "step.attempt": "attempt {n}",
    "step.showLog": "Show only this step's log",
    "step.showingLog": "The log shows only this step: click again to show everything",

    "phases.label": "Phases",
    "phases.progress": "{done}/{total}",
    "phases.progressLabel": "Progress of {phase}",

    "runMessage.stopped": "Stopped at \"{step}\" on {hosts}.",
    "runMessage.cancelledAt": "Cancelled at \"{step}\".",
    "runMessage.paused": "The retried step is done; resume to go on with the rest.",
    "runMessage.interrupted": "The StackPilot server stopped while this was running. Resume to go on from here.",
    "runMessage.stepCancelled": "Cancelled by the operator.",
    "runMessage.stepCancelledBefore": "Cancelled by the operator before it started.",
    "runMessage.stepFailed": "{step} failed on {host} (exit code {code})",
    "runMessage.stepFailedStopped": "{step} failed on {host} (it was stopped)",
    "runMessage.stepNotVerified": "{step} did not verify on {host} (exit code {code})",
    "runMessage.stepNotVerifiedStopped": "{step} did not verify on {host} (it was stopped)",
    "runMessage.withDetail": "{message}: {detail}",
    "runMessage.end": "{message}.",
    "runMessage.portUnreachable": "Port {port} ({label}) on {to} is not reachable from {from}: {reason}.",

    "triage.lastLines": "Last 50 lines",
    "triage.noLines": "no log lines",
    "triage.linesInAll": "{n} in all",
    "triage.section.status": "{unit}: status",
    "triage.section.journal": "{unit}: journal (last 50 lines)",
    "triage.section.ports": "Listening TCP ports",

    "hostcheck.hostname": "hostname {name}",
    "hostcheck.connectedIn": "connected in {ms} ms",
    "hostcheck.hostKey": "Host key {fingerprint}",
    "hostcheck.machineId": "Machine id {id}",
    "hostcheck.virtKvm": "Virtualisation: KVM — {reason} (CPU flag: {cpu}).",
    "hostcheck.virtQemu": "Virtualisation: QEMU (software), guests will be slow — /dev/kvm: {reason} (CPU flag: {cpu}).",
    "hostcheck.virtUntested": "Virtualisation: QEMU (software), guests will be slow — /dev/kvm could not be tested.",
    "hostcheck.trustKey": "Trust the new key {fingerprint}",
    "hostcheck.trustKeyHint": "Only if you reinstalled {host} or gave it new SSH host keys; otherwise another machine may be answering at its address.",
    "hostcheck.keyTrusted": "The new key of {host} is trusted. Check the hosts again.",
    "hostcheck.trustFailed": "The key could not be trusted: {error}",

    "estimate.minutes": "about {n} min left",
    "estimate.underMinute": "less than a minute left",
    "estimate.basedOnPlan": "Estimated from this plan's deployment of {time}",
    "estimate.basedOnProfile": "Estimated from another plan's deployment of {time} (same target system)",
    "estimate.atLeastMinutes": "at least {n} min left",
    "estimate.unknown": "time left not known",
    "estimate.stepsWithoutTime": "{basis}. That deployment has no time for {n} of the steps left (it stopped before them, or did not have them), so they are not counted.",

    "log.heading": "Log",
    "log.region": "Log lines",
    "log.host": "Host",
    "log.step": "Step",
    "log.all": "all",
    "log.allSteps": "all steps",
    "log.follow": "Follow",
    "log.lines": "{n} lines",
    "log.line": "1 line",
    "log.shown": "({n} shown)",
    "log.download": "Download full log",
    "log.search": "Search the log",
    "log.searchPlaceholder": "Search…",
    "log.nextMatch": "Next match",
    "log.previousMatch": "Previous match",
    "log.matchOf": "{i} of {n}",
    "log.matches": "{n} lines match",
    "log.noMatch": "no match",
    "log.clearStep": "Show every step",

    "ports.heading": "Service ports",
    "ports.intro": "Checked from this machine and from each compute to the controller as each service comes up.",
    "ports.fromTo": "from → to",
    "ports.thisMachine": "this machine",
    "ports.open": "open",
    "ports.closed": "closed",
    "ports.waiting": "·",
    "ports.notChecked": "—",
    "ports.waitingTitle": "Not checked yet: checked once its service is set up",
    "ports.notCheckedTitle": "Not checked on this route",
    "ports.openTitle": "{port} ({label}) on {to} answers from {from}",
    "ports.closedTitle": "{port} ({label}) on {to} does not answer from {from}: {reason}",
    "ports.empty": "This deployment checks no service ports.",
    "ports.legend": "green: open · red: not reachable · ·: not checked yet · —: not checked on this route",
    "ports.failure": "{from} → {to}, port {port} ({label}): {reason}",
    "ports.reason.refused": "connection refused",
    "ports.reason.timeout": "no answer within {n} s",

    "timeline.heading": "Timeline",
    "timeline.empty": "No step has started yet.",
    "timeline.caption": "When each step ran on each host",
    "timeline.host": "Host",
    "timeline.stepCol": "Step",
    "timeline.statusCol": "Status",
    "timeline.startCol": "Started after",
    "timeline.durationCol": "Duration",
    "timeline.bar": "{step} on {host}: {status}, {duration}, from {start} to {end}",

    "topology.heading": "Topology",
    "topology.controller": "controller",
    "topology.compute": "compute",
    "topology.management": "management network",
    "topology.provider": "provider network",
    "topology.alt": "The plan's hosts on the management and the provider network, with the services each runs",
    "topology.chronyClient": "chrony client",
    "topology.novaMetadata": "Nova metadata",
    "topology.novncProxy": "noVNC proxy",
    "topology.selfService": "self-service network",
    "topology.floatingIps": "floating IPs",
    "topology.tunnelled": "tunnelled over the management network",
    "topology.download": "Download SVG",

    "triage.hint.disk-full":
      "A disk on this host is full (No space left on device): free space on the file system `df -h` shows full (old logs, the package cache: `yum clean all` or `apt-get clean`), then run the step again.",
    "triage.hint.out-of-memory":
      "This host ran out of memory and a process was killed: stop what else runs there or give it more RAM (the tutorial's controller has 8 GB), then run the step again.",
    "triage.hint.selinux-denied-program":
      "SELinux denied {program} an access (avc: denied): set SELinux to permissive (`setenforce 0` and SELINUX=permissive in /etc/selinux/config, as the base step does) or relabel the files with `restorecon -Rv`, then run the step again.",
    "triage.hint.selinux-denied":
      "SELinux denied an access (avc: denied): set SELinux to permissive (`setenforce 0` and SELINUX=permissive in /etc/selinux/config, as the base step does) or relabel the files with `restorecon -Rv`, then run the step again.",
    "triage.hint.clock-skew":
      "The clocks of the hosts disagree (clock skew): check `chronyc sources` and `chronyc tracking` on each host and let chrony sync them (the chrony steps set it up), then run the step again.",
    "triage.hint.package-lock-held":
      "Process {pid} ({program}) holds the package manager's lock on this host, so another install is running there (StackPilot waited for it and did not stop it): let it finish (`ps -fp {pid}` shows what it is), then run the step again.",
    "triage.hint.yum-lock-held":
      "Process {pid} holds yum's lock on this host (/var/run/yum.pid), so another yum is running there: let it finish (`ps -fp {pid}` shows what it is), then run the step again.",
    "triage.hint.package-lock":
      "Another package manager is running on this host and holds its lock (often automatic updates): wait for it to finish, then run the step again.",
    "triage.hint.dpkg-interrupted":
      "An earlier package install on this host was cut off (dpkg was interrupted) and the step's repair did not finish it: run `dpkg --configure -a` and `apt-get -f install` on the host as root, fix what they report, then run the step again.",
    "triage.hint.yum-unfinished-transaction":
      "An earlier yum transaction on this host was cut off and is unfinished: run `yum-complete-transaction` (package yum-utils) on the host as root, or `yum-complete-transaction --cleanup-only` when it cannot finish, then run the step again.",
    "triage.hint.address-missing-port":
      "A service is told to listen (port {port}) on an address this host does not have (Cannot assign requested address): compare the plan's management IP with `ip -br addr` on this host.",
    "triage.hint.address-missing":
      "A service is told to listen on an address this host does not have (Cannot assign requested address): compare the plan's management IP with `ip -br addr` on this host.",
    "triage.hint.port-in-use": "Port {port} is already taken by another program: find it with `ss -ltnp 'sport = :{port}'`, stop and disable it, then run the step again.",
    "triage.hint.port-in-use-unknown": "A port the service needs is already taken by another program: find it with `ss -ltnp` (below), stop and disable it, then run the step again.",
    "triage.hint.db-root-password":
      "MariaDB refused the root password (Access denied for user 'root'): MARIADB_ROOT_PASS is not the password MariaDB was secured with; enter that one on the passwords page and run the step again.",
    "triage.hint.db-user-password":
      "MariaDB refused the password of its user {user} (Access denied): the password in {user}'s configuration and the one in the database differ; check {secret} on the passwords page and deploy again (the {user} database step resets it).",
    "triage.hint.db-password":
      "MariaDB refused a password (Access denied for user): the password in the service's configuration and the one in the database differ; check it on the passwords page and deploy again.",
    "triage.hint.db-down":
      "MariaDB does not answer: start it (`systemctl restart mariadb`) and read its journal for why it stopped; from another host, check bind-address in its openstack.cnf and that port 3306 is open.",
    "triage.hint.ssh-login-refused":
      "The host refused StackPilot's SSH login: the user name or the password (or key) for this host in the plan is wrong; fix it on the credentials page and resume.",
    "triage.hint.rabbitmq-password":
      "RabbitMQ refused the openstack user's password (ACCESS_REFUSED): RABBIT_PASS differs from the one RabbitMQ has; check it on the passwords page and deploy again (the RabbitMQ user step resets it).",
    "triage.hint.rabbitmq-down":
      "rabbitmqctl cannot reach the RabbitMQ node: rabbitmq-server is not running or its node name no longer matches the hostname; read its journal, `systemctl restart rabbitmq-server`, then run the step again.",
    "triage.hint.keystone-credentials":
      "Keystone refused the credentials (HTTP 401): ADMIN_PASS or the service's password (GLANCE_PASS) differs from the one Keystone has; check it on the passwords page and deploy again.",
    "triage.hint.ssh-key-refused-by":
      "{who} refused the controller's SSH key (Permission denied (publickey)): the key is missing from that host's /root/.ssh/authorized_keys or root may not log in (PermitRootLogin); run the ssh-trust steps again.",
    "triage.hint.ssh-key-refused":
      "A host refused the controller's SSH key (Permission denied (publickey)): the key is missing from that host's /root/.ssh/authorized_keys or root may not log in (PermitRootLogin); run the ssh-trust steps again.",
    "triage.hint.host-key-changed":
      "A host's SSH key is not the one the controller remembers (it was reinstalled?): remove the old key with `ssh-keygen -R <name>` on the controller, then run the step again.",
    "triage.hint.etcd-old-data":
      "etcd's data directory belongs to an earlier configuration: stop etcd, remove its data directory (the etcd step does so when its configuration changes), then run the step again.",
    "triage.hint.yum-repositories":
      "yum cannot reach its repositories: CentOS 7 is end-of-life and mirror.centos.org is gone, so choose the vault, the tutorial's mirror or your own base URL in the plan's options, and check this host's network, proxy and DNS.",
    "triage.hint.apt-repositories":
      "apt cannot download from its repositories: check the mirror and proxy in /etc/apt/sources.list* and /etc/apt/apt.conf.d, and this host's network and DNS, then run the step again.",
    "triage.hint.package-missing":
      "The package {package} is in none of this host's repositories: check that the OpenStack release repository is installed and enabled (the base steps add it) and that the host runs the profile's system.",
    "triage.hint.name-unresolved":
      "The name {name} does not resolve on this host: add it to /etc/hosts (the base step does so for the plan's hosts) or fix the DNS server in /etc/resolv.conf, then run the step again.",
    "triage.hint.name-unresolved-unknown":
      "A name does not resolve on this host: add it to /etc/hosts (the base step does so for the plan's hosts) or fix the DNS server in /etc/resolv.conf, then run the step again.",
    "triage.hint.no-answer-at":
      "Nothing answers at {target}: the service behind it is not running or listens elsewhere; read its status and journal, restart it, then run the step again.",
    "triage.hint.connection-refused":
      "A service refused the connection: the service behind it is not running or listens elsewhere; read its status and journal, restart it, then run the step again.",
    "triage.hint.unit-missing":
      "The unit {unit} does not exist on this host: its package is not installed (run the install step again) or it has another name on this system.",
    "triage.hint.command-missing": "The command {command} is not installed on this host: the earlier install steps bring it; run them first.",
    "triage.hint.service-failed":
      "The service {unit} did not start: its status and journal say why (`systemctl status {unit}`, `journalctl -u {unit}`); fix that, then run the step again.",
    "triage.hint.no-valid-host":
      "Nova found no valid host for the test VM on {host}: nova-compute there is down or disabled, or {host} lacks the free RAM or disk the flavor asks for, or Placement has no inventory for it. Look at `openstack compute service list`, `openstack resource provider list` and the scheduler's log on the controller (/var/log/nova/nova-scheduler.log).",
    "triage.hint.no-valid-host-unknown":
      "Nova found no valid host for the test VM: a compute's nova-compute is down or disabled, or the computes lack the free RAM or disk the flavor asks for, or Placement has no inventory for them. Look at `openstack compute service list`, `openstack resource provider list` and the scheduler's log on the controller (/var/log/nova/nova-scheduler.log).",
    "triage.hint.port-binding-failed":
      "Neutron could not bind the test VM's port on {host} (PortBindingFailed): the Linux bridge agent there is down, or its physical_interface_mappings (/etc/neutron/plugins/ml2/linuxbridge_agent.ini) names a network interface {host} does not have. Look at `journalctl -u neutron-linuxbridge-agent` on {host} and at `openstack network agent list`.",
    "triage.hint.port-binding-failed-unknown":
      "Neutron could not bind the test VM's port (PortBindingFailed): the compute's Linux bridge agent is down, or its physical_interface_mappings (/etc/neutron/plugins/ml2/linuxbridge_agent.ini) names a network interface the host does not have. Look at `journalctl -u neutron-linuxbridge-agent` on that compute and at `openstack network agent list`.",
    "triage.hint.network-agent-down":
      "The {agent} on {host} is not alive (XXX in `openstack network agent list`): `systemctl status {unit}` and `journalctl -u {unit}` on {host} say why; an agent also looks dead when {host}'s clock is off or it cannot reach RabbitMQ on the controller.",
    "triage.hint.vm-not-active":
      "The test VM {server} on {host} did not become ACTIVE (status {status}); Nova says: {fault}. Look at nova-compute's journal on {host} (`journalctl -u nova-compute`, on CentOS `openstack-nova-compute`).",
    "triage.hint.vm-not-active-no-fault":
      "The test VM {server} on {host} did not become ACTIVE (status {status}) and Nova recorded no fault: look at nova-compute's journal on {host} (`journalctl -u nova-compute`, on CentOS `openstack-nova-compute`) and at `openstack server show {server}`.",
    "triage.hint.vm-unreachable":
      "The test VM {server} on {host} is ACTIVE but did not answer {checks} at {ip}: check the security group allows ICMP and TCP port 22, the L3 agent and the router on the controller (`openstack router show`, `journalctl -u neutron-l3-agent`), and, for SSH, the metadata agent that hands the VM its key (`journalctl -u neutron-metadata-agent`).",
    "triage.hint.killed":
      "A command of this step was killed on the host (SIGKILL): by someone, or by the kernel when memory ran out (`dmesg` on the host says which). Run the step again: a package install it cut off is repaired first.",
  },
  "zh-CN": {
    "dashboard.kind.host-check": "主机检查",
    "dashboard.kind.deploy": "部署",
    "dashboard.loadFailed": "无法加载此次运行：{error}",
    "dashboard.loading": "正在加载运行…",
    "dashboard.progress.steps": "已完成 {done}/{total} 个步骤 · 开始于 {time}",
    "dashboard.progress.hosts": "已完成 {done}/{total} 台主机 · 开始于 {time}",
    "dashboard.stream.live": "● 实时",
    "dashboard.stream.connecting": "正在连接…",
    "dashboard.stream.reconnecting": "正在重新连接…",
    "dashboard.backToPlan": "返回部署计划",
    "dashboard.exportReport": "导出安装报告：",
    "dashboard.hostsList": "主机",

    "status.pending": "等待中",
    "status.running": "运行中",
    "status.succeeded": "成功",
    "status.failed": "失败",
    "status.skipped": "已完成过",
    "status.cancelled": "已取消",
    "status.interrupted": "已中断",
    "status.manual": "已手动完成",
    "status.paused": "已暂停",

    "duration.seconds": "{n} 秒",
    "duration.minutes": "{m} 分 {s} 秒",
    "duration.hours": "{h} 小时 {m} 分",
    "duration.tickMinutes": "{m} 分",

    "controls.resume.failed": "从失败的步骤继续",
    "controls.resume.interrupted": "从中断的步骤继续",
    "controls.resume.cancelled": "从取消的步骤继续",
    "controls.resume.paused": "继续",
    "controls.resuming": "正在继续…",
    "controls.cancel": "取消",
    "controls.cancelQuestion": "现在停止主机上正在运行的命令吗？",
    "controls.cancelYes": "是，取消此次运行",
    "controls.cancelNo": "否，继续运行",
    "controls.planChanged": "自此次运行开始后，部署计划已更改",
    "controls.planChangedText": "尚未运行的步骤将使用当前的部署计划。已完成的步骤不会再次运行。",
    "controls.what": "项目",
    "controls.then": "原值",
    "controls.now": "现值",
    "controls.acceptChanges": "按这些更改继续",
    "controls.notNow": "暂不",

    "step.retry": "重试此步骤",
    "step.markDone": "标记为已手动完成",
    "step.markDoneQuestion": "将 {host} 上的“{title}”标记为已手动完成？StackPilot 在此次运行中不会再运行它，并会记录是您完成的。",
    "step.markDoneYes": "是，我已手动完成",
    "step.markDoneNo": "否",
    "step.confirmGroup": "确认已手动完成",
    "step.attempt": "第 {n} 次尝试",
    "step.showLog": "只显示此步骤的日志",
    "step.showingLog": "日志只显示此步骤：再次点击可显示全部",

    "phases.label": "阶段",
    "phases.progress": "{done}/{total}",
    "phases.progressLabel": "{phase}的进度",

    "runMessage.stopped": "停在 {hosts} 上的“{step}”。",
    "runMessage.cancelledAt": "在“{step}”处取消。",
    "runMessage.paused": "重试的步骤已完成；点击继续以运行其余步骤。",
    "runMessage.interrupted": "运行期间 StackPilot 服务器停止了。点击继续即可从这里接着运行。",
    "runMessage.stepCancelled": "已被操作员取消。",
    "runMessage.stepCancelledBefore": "开始之前已被操作员取消。",
    "runMessage.stepFailed": "“{step}”在 {host} 上失败（退出码 {code}）",
    "runMessage.stepFailedStopped": "“{step}”在 {host} 上失败（已被停止）",
    "runMessage.stepNotVerified": "“{step}”在 {host} 上未通过验证（退出码 {code}）",
    "runMessage.stepNotVerifiedStopped": "“{step}”在 {host} 上未通过验证（已被停止）",
    "runMessage.withDetail": "{message}：{detail}",
    "runMessage.end": "{message}。",
    "runMessage.portUnreachable": "从 {from} 无法连通 {to} 上的端口 {port}（{label}）：{reason}。",

    "triage.lastLines": "最后 50 行",
    "triage.noLines": "没有日志行",
    "triage.linesInAll": "共 {n} 行",
    "triage.section.status": "{unit}：状态",
    "triage.section.journal": "{unit}：系统日志（最后 50 行）",
    "triage.section.ports": "正在监听的 TCP 端口",

    "hostcheck.hostname": "主机名 {name}",
    "hostcheck.connectedIn": "连接耗时 {ms} 毫秒",
    "hostcheck.hostKey": "主机密钥 {fingerprint}",
    "hostcheck.machineId": "机器 ID {id}",
    "hostcheck.virtKvm": "虚拟化：KVM — {reason}（CPU 标志：{cpu}）。",
    "hostcheck.virtQemu": "虚拟化：QEMU（软件模拟），虚拟机会较慢 — /dev/kvm：{reason}（CPU 标志：{cpu}）。",
    "hostcheck.virtUntested": "虚拟化：QEMU（软件模拟），虚拟机会较慢 — 无法测试 /dev/kvm。",
    "hostcheck.trustKey": "信任新密钥 {fingerprint}",
    "hostcheck.trustKeyHint": "仅当您重装了 {host} 或为它生成了新的 SSH 主机密钥时才这样做；否则可能是另一台机器在使用它的地址。",
    "hostcheck.keyTrusted": "已信任 {host} 的新密钥。请重新检查主机。",
    "hostcheck.trustFailed": "无法信任该密钥：{error}",

    "estimate.minutes": "预计还需约 {n} 分钟",
    "estimate.underMinute": "预计不到一分钟即可完成",
    "estimate.basedOnPlan": "根据此部署计划在 {time} 的部署估算",
    "estimate.basedOnProfile": "根据另一个部署计划在 {time} 的部署估算（目标系统相同）",
    "estimate.atLeastMinutes": "预计至少还需 {n} 分钟",
    "estimate.unknown": "剩余时间未知",
    "estimate.stepsWithoutTime": "{basis}。那次部署没有剩余步骤中 {n} 个步骤的用时（它在这些步骤之前就停止了，或没有这些步骤），因此未计入估算。",

    "log.heading": "日志",
    "log.region": "日志内容",
    "log.host": "主机",
    "log.step": "步骤",
    "log.all": "全部",
    "log.allSteps": "全部步骤",
    "log.follow": "跟随最新",
    "log.lines": "{n} 行",
    "log.line": "1 行",
    "log.shown": "（显示 {n} 行）",
    "log.download": "下载完整日志",
    "log.search": "搜索日志",
    "log.searchPlaceholder": "搜索…",
    "log.nextMatch": "下一个匹配",
    "log.previousMatch": "上一个匹配",
    "log.matchOf": "第 {i} 个，共 {n} 个",
    "log.matches": "{n} 行匹配",
    "log.noMatch": "无匹配",
    "log.clearStep": "显示全部步骤",

    "ports.heading": "服务端口",
    "ports.intro": "每个服务启动后，从本机和每台计算节点检查到控制节点的端口。",
    "ports.fromTo": "从 → 到",
    "ports.thisMachine": "本机",
    "ports.open": "开放",
    "ports.closed": "不通",
    "ports.waiting": "·",
    "ports.notChecked": "—",
    "ports.waitingTitle": "尚未检查：服务安装好后才检查",
    "ports.notCheckedTitle": "此路径不检查",
    "ports.openTitle": "从 {from} 可以连通 {to} 上的 {port}（{label}）",
    "ports.closedTitle": "从 {from} 无法连通 {to} 上的 {port}（{label}）：{reason}",
    "ports.empty": "此次部署不检查任何服务端口。",
    "ports.legend": "绿色：开放 · 红色：不通 · ·：尚未检查 · —：此路径不检查",
    "ports.failure": "{from} → {to}，端口 {port}（{label}）：{reason}",
    "ports.reason.refused": "连接被拒绝",
    "ports.reason.timeout": "{n} 秒内无响应",

    "timeline.heading": "时间线",
    "timeline.empty": "还没有步骤开始运行。",
    "timeline.caption": "每个步骤在每台主机上的运行时间",
    "timeline.host": "主机",
    "timeline.stepCol": "步骤",
    "timeline.statusCol": "状态",
    "timeline.startCol": "开始于",
    "timeline.durationCol": "耗时",
    "timeline.bar": "{host} 上的{step}：{status}，{duration}，从 {start} 到 {end}",

    "topology.heading": "拓扑",
    "topology.controller": "控制节点",
    "topology.compute": "计算节点",
    "topology.management": "管理网络",
    "topology.provider": "提供者网络",
    "topology.alt": "部署计划中的主机，它们在管理网络和提供者网络上的地址，以及每台主机运行的服务",
    "topology.chronyClient": "chrony 客户端",
    "topology.novaMetadata": "Nova 元数据",
    "topology.novncProxy": "noVNC 代理",
    "topology.selfService": "自助服务网络",
    "topology.floatingIps": "浮动 IP",
    "topology.tunnelled": "经管理网络隧道传输",
    "topology.download": "下载 SVG",

    "triage.hint.disk-full":
      "此主机的磁盘已满（No space left on device）：在 `df -h` 显示已满的文件系统上释放空间（旧日志、软件包缓存：`yum clean all` 或 `apt-get clean`），然后重试此步骤。",
    "triage.hint.out-of-memory": "此主机内存耗尽，有进程被终止：停止它上面运行的其他程序或增加内存（教程中的控制节点有 8 GB），然后重试此步骤。",
    "triage.hint.selinux-denied-program":
      "SELinux 拒绝了 {program} 的访问（avc: denied）：将 SELinux 设为 permissive（`setenforce 0`，并在 /etc/selinux/config 中设置 SELINUX=permissive，基础步骤就是这样做的），或用 `restorecon -Rv` 重新标记文件，然后重试此步骤。",
    "triage.hint.selinux-denied":
      "SELinux 拒绝了一次访问（avc: denied）：将 SELinux 设为 permissive（`setenforce 0`，并在 /etc/selinux/config 中设置 SELINUX=permissive，基础步骤就是这样做的），或用 `restorecon -Rv` 重新标记文件，然后重试此步骤。",
    "triage.hint.clock-skew":
      "各主机的时钟不一致（clock skew）：在每台主机上查看 `chronyc sources` 和 `chronyc tracking`，让 chrony 完成同步（chrony 步骤会配置它），然后重试此步骤。",
    "triage.hint.package-lock-held":
      "进程 {pid}（{program}）持有此主机上包管理器的锁，说明那里正在进行另一次安装（StackPilot 已等待且没有终止它）：等它结束（`ps -fp {pid}` 可查看它是什么），然后重试此步骤。",
    "triage.hint.yum-lock-held": "进程 {pid} 持有此主机上 yum 的锁（/var/run/yum.pid），说明那里正在运行另一个 yum：等它结束（`ps -fp {pid}` 可查看它是什么），然后重试此步骤。",
    "triage.hint.package-lock": "此主机上有另一个包管理器正在运行并持有锁（通常是自动更新）：等它结束，然后重试此步骤。",
    "triage.hint.dpkg-interrupted":
      "此主机上之前的一次软件包安装被中断（dpkg was interrupted），步骤的修复没能完成它：以 root 身份在主机上运行 `dpkg --configure -a` 和 `apt-get -f install`，解决它们报告的问题，然后重试此步骤。",
    "triage.hint.yum-unfinished-transaction":
      "此主机上之前的一次 yum 事务被中断，尚未完成：以 root 身份在主机上运行 `yum-complete-transaction`（软件包 yum-utils），无法完成时运行 `yum-complete-transaction --cleanup-only`，然后重试此步骤。",
    "triage.hint.address-missing-port":
      "某个服务被配置为在此主机没有的地址上监听（端口 {port}）（Cannot assign requested address）：将部署计划中的管理 IP 与此主机上 `ip -br addr` 的输出对比。",
    "triage.hint.address-missing":
      "某个服务被配置为在此主机没有的地址上监听（Cannot assign requested address）：将部署计划中的管理 IP 与此主机上 `ip -br addr` 的输出对比。",
    "triage.hint.port-in-use": "端口 {port} 已被其他程序占用：用 `ss -ltnp 'sport = :{port}'` 找到它，停止并禁用它，然后重试此步骤。",
    "triage.hint.port-in-use-unknown": "服务需要的某个端口已被其他程序占用：用 `ss -ltnp`（见下方）找到它，停止并禁用它，然后重试此步骤。",
    "triage.hint.db-root-password":
      "MariaDB 拒绝了 root 密码（Access denied for user 'root'）：MARIADB_ROOT_PASS 不是 MariaDB 加固时设置的密码；在密码页面填入那个密码，然后重试此步骤。",
    "triage.hint.db-user-password":
      "MariaDB 拒绝了其用户 {user} 的密码（Access denied）：{user} 配置中的密码与数据库中的不一致；在密码页面检查 {secret}，然后重新部署（{user} 数据库步骤会重置它）。",
    "triage.hint.db-password": "MariaDB 拒绝了一个密码（Access denied for user）：服务配置中的密码与数据库中的不一致；在密码页面检查它，然后重新部署。",
    "triage.hint.db-down":
      "MariaDB 没有响应：启动它（`systemctl restart mariadb`），并查看其系统日志了解它为何停止；若从其他主机连接，检查其 openstack.cnf 中的 bind-address 以及 3306 端口是否开放。",
    "triage.hint.ssh-login-refused": "主机拒绝了 StackPilot 的 SSH 登录：部署计划中此主机的用户名或密码（或密钥）不正确；在凭据页面改正后继续。",
    "triage.hint.rabbitmq-password":
      "RabbitMQ 拒绝了 openstack 用户的密码（ACCESS_REFUSED）：RABBIT_PASS 与 RabbitMQ 中的不一致；在密码页面检查它，然后重新部署（RabbitMQ 用户步骤会重置它）。",
    "triage.hint.rabbitmq-down":
      "rabbitmqctl 无法连接 RabbitMQ 节点：rabbitmq-server 没有运行，或其节点名与主机名不再一致；查看其系统日志，执行 `systemctl restart rabbitmq-server`，然后重试此步骤。",
    "triage.hint.keystone-credentials":
      "Keystone 拒绝了凭据（HTTP 401）：ADMIN_PASS 或服务的密码（GLANCE_PASS）与 Keystone 中的不一致；在密码页面检查它，然后重新部署。",
    "triage.hint.ssh-key-refused-by":
      "{who} 拒绝了控制节点的 SSH 密钥（Permission denied (publickey)）：该主机的 /root/.ssh/authorized_keys 中没有这个密钥，或不允许 root 登录（PermitRootLogin）；请重新运行 ssh-trust 步骤。",
    "triage.hint.ssh-key-refused":
      "有主机拒绝了控制节点的 SSH 密钥（Permission denied (publickey)）：该主机的 /root/.ssh/authorized_keys 中没有这个密钥，或不允许 root 登录（PermitRootLogin）；请重新运行 ssh-trust 步骤。",
    "triage.hint.host-key-changed": "某台主机的 SSH 密钥与控制节点记住的不同（它重装过？）：在控制节点上用 `ssh-keygen -R <name>` 删除旧密钥，然后重试此步骤。",
    "triage.hint.etcd-old-data": "etcd 的数据目录属于之前的配置：停止 etcd，删除其数据目录（配置变化时 etcd 步骤会这样做），然后重试此步骤。",
    "triage.hint.yum-repositories":
      "yum 无法访问其软件源：CentOS 7 已停止维护，mirror.centos.org 已下线，请在部署计划的选项中选择 vault、教程的镜像站或您自己的 base URL，并检查此主机的网络、代理和 DNS。",
    "triage.hint.apt-repositories": "apt 无法从软件源下载：检查 /etc/apt/sources.list* 和 /etc/apt/apt.conf.d 中的镜像站和代理，以及此主机的网络和 DNS，然后重试此步骤。",
    "triage.hint.package-missing": "此主机的所有软件源中都没有软件包 {package}：检查 OpenStack 版本软件源是否已安装并启用（基础步骤会添加它），以及主机运行的是否为该配置对应的系统。",
    "triage.hint.name-unresolved": "此主机无法解析名称 {name}：把它加入 /etc/hosts（基础步骤会为部署计划中的主机这样做），或修正 /etc/resolv.conf 中的 DNS 服务器，然后重试此步骤。",
    "triage.hint.name-unresolved-unknown": "此主机无法解析某个名称：把它加入 /etc/hosts（基础步骤会为部署计划中的主机这样做），或修正 /etc/resolv.conf 中的 DNS 服务器，然后重试此步骤。",
    "triage.hint.no-answer-at": "{target} 没有响应：其后的服务没有运行或在别处监听；查看其状态和系统日志，重启它，然后重试此步骤。",
    "triage.hint.connection-refused": "某个服务拒绝了连接：其后的服务没有运行或在别处监听；查看其状态和系统日志，重启它，然后重试此步骤。",
    "triage.hint.unit-missing": "此主机上不存在服务单元 {unit}：其软件包没有安装（请重新运行安装步骤），或它在此系统上叫别的名字。",
    "triage.hint.command-missing": "此主机上没有安装命令 {command}：前面的安装步骤会带来它；请先运行那些步骤。",
    "triage.hint.service-failed": "服务 {unit} 没有启动：它的状态和系统日志会说明原因（`systemctl status {unit}`、`journalctl -u {unit}`）；解决后重试此步骤。",
    "triage.hint.no-valid-host": "Nova 没有为 {host} 上的测试虚拟机找到可用主机（No valid host was found）：该节点的 nova-compute 已停止或被禁用，或 {host} 的空闲内存或磁盘不够该规格（flavor）使用，或 Placement 中没有它的资源清单。请查看 `openstack compute service list`、`openstack resource provider list` 以及控制节点上的调度器日志（/var/log/nova/nova-scheduler.log）。",
    "triage.hint.no-valid-host-unknown": "Nova 没有为测试虚拟机找到可用主机（No valid host was found）：某个计算节点的 nova-compute 已停止或被禁用，或计算节点的空闲内存或磁盘不够该规格（flavor）使用，或 Placement 中没有它们的资源清单。请查看 `openstack compute service list`、`openstack resource provider list` 以及控制节点上的调度器日志（/var/log/nova/nova-scheduler.log）。",
    "triage.hint.port-binding-failed": "Neutron 无法在 {host} 上绑定测试虚拟机的端口（PortBindingFailed）：该节点的 Linux 网桥代理已停止，或其 physical_interface_mappings（/etc/neutron/plugins/ml2/linuxbridge_agent.ini）指定了 {host} 上不存在的网卡。请查看 {host} 上的 `journalctl -u neutron-linuxbridge-agent` 以及 `openstack network agent list`。",
    "triage.hint.port-binding-failed-unknown": "Neutron 无法绑定测试虚拟机的端口（PortBindingFailed）：计算节点的 Linux 网桥代理已停止，或其 physical_interface_mappings（/etc/neutron/plugins/ml2/linuxbridge_agent.ini）指定了主机上不存在的网卡。请查看该计算节点上的 `journalctl -u neutron-linuxbridge-agent` 以及 `openstack network agent list`。",
    "triage.hint.network-agent-down": "{host} 上的 {agent} 未存活（`openstack network agent list` 中显示 XXX）：在 {host} 上运行 `systemctl status {unit}` 和 `journalctl -u {unit}` 可查明原因；{host} 的时钟不准或无法连接控制节点上的 RabbitMQ 时，代理也会显示为未存活。",
    "triage.hint.vm-not-active": "{host} 上的测试虚拟机 {server} 没有进入 ACTIVE 状态（状态 {status}）；Nova 报告：{fault}。请查看 {host} 上 nova-compute 的系统日志（`journalctl -u nova-compute`，CentOS 上为 `openstack-nova-compute`）。",
    "triage.hint.vm-not-active-no-fault": "{host} 上的测试虚拟机 {server} 没有进入 ACTIVE 状态（状态 {status}），Nova 也没有记录错误：请查看 {host} 上 nova-compute 的系统日志（`journalctl -u nova-compute`，CentOS 上为 `openstack-nova-compute`）以及 `openstack server show {server}`。",
    "triage.hint.vm-unreachable": "{host} 上的测试虚拟机 {server} 已是 ACTIVE，但 {ip} 没有响应 {checks}：请检查安全组是否放行 ICMP 和 TCP 22 端口，控制节点上的 L3 代理和路由器（`openstack router show`、`journalctl -u neutron-l3-agent`），以及（对 SSH 而言）向虚拟机提供密钥的元数据代理（`journalctl -u neutron-metadata-agent`）。",
    "triage.hint.killed": "此步骤的一个命令在主机上被强制终止（SIGKILL）：可能是有人终止了它，也可能是内存耗尽时被内核终止（在主机上运行 `dmesg` 可查明）。请重试此步骤：被中断的软件包安装会先被修复。",
  },
});
