import { shellQuote } from "../shell/quote";
import { script, printLines, type PhaseContext } from "./phaseContext";
import { ADMIN_OPENRC } from "./phases/keystone";
import type { DistroFacts } from "./profiles/distroFacts";
import type { Step } from "./types";

/**
 * A tiny guest for the compute scope's closing check, built on the controller from Debian 12
 * packages (no cirros can be downloaded in the lab): the cloud kernel, and an initramfs of
 * busybox-static and dropbear whose init gets a DHCP lease, puts the metadata service's SSH key
 * in root's authorized_keys, starts dropbear and says so on the serial console. Glance holds it
 * the way cirros' "uec" images are held: a kernel (aki) and a ramdisk (ari) that a small machine
 * image names (as the "ami" of cirros' uec images, but stored raw), which Nova's libvirt driver boots directly.
 */

export const GUEST_IMAGE_NAME = "stackpilot-guest";
export const GUEST_KERNEL_IMAGE_NAME = "stackpilot-guest-kernel";
export const GUEST_RAMDISK_IMAGE_NAME = "stackpilot-guest-initrd";
/** The guest's only user; it logs in with the key the instance was started with. */
export const GUEST_LOGIN_USER = "root";
/** What the guest's init prints on the console once dropbear runs: the proof that the VM booted. */
export const GUEST_BOOTED_LINE = "stackpilot-guest booted";
/** What it prints when DHCP gave it an address, followed by address/prefix and router. */
export const GUEST_LEASE_LINE = "stackpilot-guest: dhcp lease";
/** Kernel arguments for the machine image: the console on the serial port, which Nova's console log records. */
export const GUEST_KERNEL_COMMAND_LINE = "console=ttyS0";
/** Where the controller builds the guest's files. */
export const GUEST_BUILD_DIR = "/var/lib/stackpilot/guest";

/** The virtio network driver is modular in the cloud kernel: these, in dependency order. */
export const GUEST_KERNEL_MODULES = ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "failover", "net_failover", "virtio_net"];

const METADATA_KEY_URL = "http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key";

/** Why a profile cannot build the guest, or null when it can (it needs apt and Debian's packages). */
export function guestImageUnsupportedReason(facts: Pick<DistroFacts, "packageManager" | "profile">): string | null {
  if (facts.packageManager === "apt") return null;
  return `The test guest is built from Debian 12 packages with apt; ${facts.profile} has no such packages: upload the tutorial's cirros image there instead.`;
}

/** The guest's init (PID 1, busybox sh). It must never exit: the kernel panics when init does. */
const INIT = String.raw`#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /var/run /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
exec </dev/console >/dev/console 2>&1
say() { echo "$*"; [ -n "$SERIAL" ] && echo "$*" >"$SERIAL" 2>/dev/null; return 0; }
# The console log Nova keeps is the serial port's: say things there too when the console is elsewhere.
case "$(cat /sys/class/tty/console/active 2>/dev/null)" in *ttyS0) SERIAL= ;; *) SERIAL=/dev/ttyS0 ;; esac
export SERIAL
say "stackpilot-guest: init started, kernel $(uname -r)"
# No modules.dep: load the virtio drivers until virtio_net is in, whatever order they need.
for pass in 1 2 3 4 5; do
  for module in ${GUEST_KERNEL_MODULES.join(" ")}; do
    grep -q "^$module " /proc/modules || insmod "/lib/modules/$module.ko" 2>/dev/null
  done
  grep -q '^virtio_net ' /proc/modules && break
done
for i in $(seq 1 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
ip link set lo up
ip link set eth0 up || say "stackpilot-guest: no network interface eth0"
udhcpc -i eth0 -s /etc/udhcpc.script -O mtu -O staticroutes -t 10 -T 2 -n || say "stackpilot-guest: no dhcp lease on eth0"
mkdir -p /root/.ssh && chmod 700 /root /root/.ssh
(
  for i in $(seq 1 60); do
    # No wget -T: it segfaults in busybox 1.35; timeout bounds a hung fetch instead.
    if timeout 10 wget -q -O /tmp/openssh-key ${METADATA_KEY_URL} 2>/dev/null && [ -s /tmp/openssh-key ]; then
      cat /tmp/openssh-key >/root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
      say "stackpilot-guest: ssh key from the metadata service installed for root"
      exit 0
    fi
    sleep 2
  done
  say "stackpilot-guest: no ssh key from the metadata service"
) &
mkdir -p /etc/dropbear
dropbearkey -t ed25519 -f /etc/dropbear/dropbear_ed25519_host_key 2>/dev/null | grep -i fingerprint | sed 's/^/stackpilot-guest: ssh host key /' | while read -r line; do say "$line"; done
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -p 22 -P /var/run/dropbear.pid -s -g || say "stackpilot-guest: dropbear did not start"
say "${GUEST_BOOTED_LINE} ($(ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | head -n 1), ssh as ${GUEST_LOGIN_USER} on port 22)"
while :; do sleep 3600; done
`;

/** udhcpc's hook: the address, the routes (option 121 first, as Neutron sends the metadata route there), the MTU. */
const UDHCPC_HOOK = String.raw`#!/bin/sh
say() { echo "$*"; [ -n "$SERIAL" ] && echo "$*" >"$SERIAL" 2>/dev/null; return 0; }
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do
        if [ "$2" = 0.0.0.0 ]; then ip route replace "$1" dev "$interface"; else ip route replace "$1" via "$2" dev "$interface"; fi
        shift 2
      done
    elif [ -n "$router" ]; then
      ip route replace default via "${"$"}{router%% *}" dev "$interface"
    fi
    [ -n "$hostname" ] && hostname "$hostname"
    say "${GUEST_LEASE_LINE} $ip/$mask router ${"$"}{router:-none} on $interface"
    ;;
esac
exit 0
`;

/**
 * Shell lines that build the guest's kernel (DIR/vmlinuz) and initramfs (DIR/initrd.gz) from
 * Debian packages fetched with `apt-get download` — nothing is installed on the host. Needs root
 * (the initramfs' files belong to root, and dropbear is tried in a chroot) and apt's lists.
 */
export function guestBuildLines(dir: string): string[] {
  const modules = GUEST_KERNEL_MODULES.join(" ");
  return [
    `dir=${shellQuote(dir)}`,
    'work="$dir/work"; x="$work/extracted"; root="$work/root"',
    'rm -rf "$work" && mkdir -p "$work/debs" "$x" "$root"',
    // The metapackage names the kernel package of the day; lists older than the archive get one update.
    "sp_guest_download() {",
    `  kernel_package=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: \\(linux-image-[0-9][^ ]*-cloud-amd64\\)$/\\1/p' | head -n 1)`,
    '  [ -n "$kernel_package" ] || { echo "apt knows no linux-image-*-cloud-amd64 package" >&2; return 1; }',
    // dropbear is dynamically linked: its libraries too, except the C library, which the host has.
    `  dropbear_libraries=$(apt-cache depends dropbear-bin | sed -n 's/^ *Depends: \\([a-z0-9][^ <>]*\\)$/\\1/p' | grep -vx libc6 | sort -u | tr '\\n' ' ')`,
    '  sp_log "Downloading $kernel_package busybox-static dropbear-bin $dropbear_libraries"',
    // As root, said so: apt's _apt user could not write into this root-only directory anyway.
    '  (cd "$work/debs" && apt-get download -q -o APT::Sandbox::User=root "$kernel_package" busybox-static dropbear-bin $dropbear_libraries)',
    "}",
    'sp_guest_download || { sp_log "Updating apt\'s package lists, then downloading again"; apt-get update -q && sp_guest_download; }',
    'for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$x"; done',
    'mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin "$root"/etc/dropbear "$root"/lib/modules "$root"/root/.ssh "$root"/proc "$root"/sys "$root"/dev "$root"/tmp "$root"/var/run',
    'cp "$x/bin/busybox" "$root/bin/busybox" && ln -s busybox "$root/bin/sh"',
    'cp "$x/usr/sbin/dropbear" "$root/usr/sbin/dropbear" && cp "$x/usr/bin/dropbearkey" "$root/usr/bin/dropbearkey"',
    `for module in ${modules}; do`,
    '  ko=$(find "$x/lib/modules" -name "$module.ko" | head -n 1)',
    '  [ -n "$ko" ] || { echo "The kernel package has no $module.ko" >&2; exit 1; }',
    '  cp "$ko" "$root/lib/modules/"',
    "done",
    'libraries=$(for program in "$x/usr/sbin/dropbear" "$x/usr/bin/dropbearkey"; do LD_LIBRARY_PATH="$x/lib/x86_64-linux-gnu:$x/usr/lib/x86_64-linux-gnu" ldd "$program"; done)',
    'if printf \'%s\\n\' "$libraries" | grep -q "not found"; then printf \'%s\\n\' "$libraries" >&2; echo "dropbear needs a library the download lacks" >&2; exit 1; fi',
    // Each library at the path the loader looks in: a downloaded one under its package's path, the host's under its own.
    "for library in $(printf '%s\\n' \"$libraries\" | awk '$2 == \"=>\" && $3 ~ /^\\// {print $3} $1 ~ /^\\// {print $1}' | sort -u); do",
    '  case "$library" in "$x"/*) target="$root${library#"$x"}" ;; *) target="$root$library" ;; esac',
    '  mkdir -p "$(dirname "$target")" && cp -L "$library" "$target"',
    "done",
    `${printLines(`root:x:0:0:root:/root:/bin/sh`)} >"$root/etc/passwd"`,
    `${printLines("root:x:0:")} >"$root/etc/group"`,
    `${printLines("/bin/sh")} >"$root/etc/shells"`,
    'chmod 700 "$root/root" "$root/root/.ssh"',
    `${printLines(INIT.trimEnd())} >"$root/init"`,
    `${printLines(UDHCPC_HOOK.trimEnd())} >"$root/etc/udhcpc.script"`,
    'chmod 755 "$root/init" "$root/etc/udhcpc.script"',
    // Proof at build time that dropbear finds every library it needs.
    'chroot "$root" /usr/sbin/dropbear -V 2>&1 | head -n 1',
    // GNU cpio when the host has it, else the downloaded busybox's: both write newc.
    'if command -v cpio >/dev/null; then cpio="cpio --quiet"; else cpio="$x/bin/busybox cpio"; fi',
    '(cd "$root" && find . | sort | $cpio -o -H newc) | gzip -9 >"$dir/initrd.gz.new"',
    'cp "$(ls "$x"/boot/vmlinuz-* | head -n 1)" "$dir/vmlinuz.new"',
    'mv "$dir/vmlinuz.new" "$dir/vmlinuz" && mv "$dir/initrd.gz.new" "$dir/initrd.gz"',
    'rm -rf "$work"',
    'sp_log "Built the guest from $kernel_package: $(du -h "$dir/vmlinuz" | cut -f1) kernel, $(du -h "$dir/initrd.gz" | cut -f1) initramfs"',
  ];
}

/** NAME -> the id of the one image of that name when it is active; fails otherwise (none, several, not active). */
const ACTIVE_IMAGE_ID = String.raw`sp_guest_active_image() {
  local rows
  rows=$(openstack image list --name "$1" -f value -c ID -c Status)
  [ "$(printf '%s\n' "$rows" | grep -c .)" -eq 1 ] || return 1
  set -- $rows
  [ "$2" = active ] && echo "$1"
}`;

function imagesDoneLines(python: string): string[] {
  return [
    `. ${ADMIN_OPENRC}`,
    ACTIVE_IMAGE_ID,
    `kernel_id=$(sp_guest_active_image ${GUEST_KERNEL_IMAGE_NAME})`,
    `ramdisk_id=$(sp_guest_active_image ${GUEST_RAMDISK_IMAGE_NAME})`,
    `sp_guest_active_image ${GUEST_IMAGE_NAME} >/dev/null`,
    // The machine image names these two, not ones an earlier attempt left behind, and is raw (see guestRegisterLines).
    `openstack image show -f json -c properties -c disk_format ${GUEST_IMAGE_NAME} | ${python} -c ${shellQuote(
      'import json, sys; d = json.load(sys.stdin); p = d.get("properties") or d; sys.exit(0 if d.get("disk_format") == "raw" and p.get("kernel_id") == sys.argv[1] and p.get("ramdisk_id") == sys.argv[2] else 1)',
    )} "$kernel_id" "$ramdisk_id"`,
  ];
}

/** Shell lines that register DIR/vmlinuz and DIR/initrd.gz in Glance, replacing any image of the three names. */
export function guestRegisterLines(dir: string): string[] {
  return [
    `dir=${shellQuote(dir)}`,
    `. ${ADMIN_OPENRC}`,
    // What an earlier attempt left (a half-uploaded or a stale image) goes first: names must be unique.
    `for name in ${GUEST_IMAGE_NAME} ${GUEST_KERNEL_IMAGE_NAME} ${GUEST_RAMDISK_IMAGE_NAME}; do`,
    '  for id in $(openstack image list --name "$name" -f value -c ID); do sp_log "Deleting the image $name ($id) an earlier attempt left"; openstack image delete "$id"; done',
    "done",
    `kernel_id=$(openstack image create --public --disk-format aki --container-format aki --file "$dir/vmlinuz" -f value -c id ${GUEST_KERNEL_IMAGE_NAME})`,
    `ramdisk_id=$(openstack image create --public --disk-format ari --container-format ari --file "$dir/initrd.gz" -f value -c id ${GUEST_RAMDISK_IMAGE_NAME})`,
    // The machine image's disk is a small empty raw file: the guest lives in its initramfs.
    'rm -f "$dir/disk.raw" && truncate -s 1M "$dir/disk.raw"',
    [
      // raw, not ami: Nova 26.2 inspects a root disk's content against its disk_format and refuses
      // "ami" ("Image content does not match disk_format"); kernel_id and ramdisk_id work with any.
      "openstack image create --public --disk-format raw --container-format bare",
      '--file "$dir/disk.raw"',
      '--property kernel_id="$kernel_id" --property ramdisk_id="$ramdisk_id"',
      `--property os_command_line=${shellQuote(GUEST_KERNEL_COMMAND_LINE)}`,
      `-f value -c id ${GUEST_IMAGE_NAME}`,
    ].join(" "),
  ];
}

/**
 * The controller step that builds the guest and registers it in Glance. Only for a profile with
 * apt (see guestImageUnsupportedReason); it throws for another, so nobody plans it by mistake.
 */
export function guestImageStep(ctx: PhaseContext): Step {
  const { facts } = ctx;
  const unsupported = guestImageUnsupportedReason(facts);
  if (unsupported) throw new Error(unsupported);
  return {
    key: "glance.guest-image",
    title: "Build a test guest from Debian packages (kernel, busybox, dropbear) and register it in Glance",
    roles: ["controller"],
    check: script(imagesDoneLines(facts.python)),
    apply: script([...guestBuildLines(GUEST_BUILD_DIR), ...guestRegisterLines(GUEST_BUILD_DIR)]),
    verify: script([...imagesDoneLines(facts.python), `openstack image list --name ${GUEST_IMAGE_NAME}`]),
    services: [...facts.glance.services],
    timeoutSeconds: 900,
  };
}
