#!/usr/bin/env bash
# System packages the sandbox and the browser tests need, from Debian's archive.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail
pkgs=(chromium fonts-noto-cjk qemu-system-x86 qemu-utils busybox-static cpio genisoimage openssl iproute2 procps openssh-client)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "installing system packages: ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
