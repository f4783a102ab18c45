#!/usr/bin/env bash
# Installs the Debian packages the tests use (Chromium for Playwright, OpenSSH servers, the lab's
# tools) when they are missing. Needs root to install; without it, fails loudly instead of letting
# tests skip.
set -euo pipefail

declare -A needs=(
  [/usr/bin/chromium]=chromium
  [/usr/sbin/sshd]=openssh-server
  [/usr/bin/ssh]=openssh-client
  [/usr/bin/sshpass]=sshpass
  [/usr/bin/systemd-nspawn]=systemd-container
  [/usr/sbin/debootstrap]=debootstrap
  [/usr/bin/tinyproxy]=tinyproxy-bin
  [/usr/sbin/ip]=iproute2
  [/usr/bin/qemu-system-x86_64]=qemu-system-x86
  # Chinese glyphs for the zh-CN screenshots (the browser of a real user has its own fonts).
  [/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc]=fonts-wqy-zenhei
)
missing=()
for path in "${!needs[@]}"; do
  [ -x "$path" ] || missing+=("${needs[$path]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages, and installing them needs root: ${missing[*]}" >&2
  echo "Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
