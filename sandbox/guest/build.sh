#!/usr/bin/env bash
# Build the sandbox's tiny Linux guest (kernel + two initramfs variants) from
# Debian packages.
#
#   sandbox/guest/build.sh [OUTDIR]      (default: <repo>/.sandbox-cache/guest)
#
# Outputs in OUTDIR: vmlinuz, initrd-tinylinux.img, initrd-tinylinux-edge.img,
# manifest.json. Skips the work when the outputs exist and the hash of the build
# inputs (every file under sandbox/guest/) is unchanged. Installs what it needs
# with apt-get (run as root). See README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/.sandbox-cache/guest}
KERNEL_META=linux-image-cloud-amd64

# id|NAME|VERSION_ID|VERSION|PRETTY_NAME
VARIANTS=(
	"tinylinux|Tiny Linux|1.0|1.0|Tiny Linux 1.0"
	"tinylinux-edge|Tiny Linux Edge|2.0|2.0|Tiny Linux Edge 2.0"
)
# Kernel modules for the initramfs (their dependencies are added from modules.dep).
MODULES=(virtio_pci virtio_blk virtio_net virtio_console virtio_rng virtio_scsi
	sd_mod sr_mod ata_piix isofs vfat fat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1
	button evdev)
# Debian packages and a file each one provides (checked to skip apt-get).
PACKAGES=(
	"busybox-static:/bin/busybox"
	"cpio:/usr/bin/cpio"
	"qemu-system-x86:/usr/bin/qemu-system-x86_64"
	"qemu-utils:/usr/bin/qemu-img"
	"e2fsprogs:/sbin/mke2fs"
	"util-linux:/sbin/blkid"
	"genisoimage:/usr/bin/genisoimage"
	"dosfstools:/sbin/mkfs.vfat"
	"mtools:/usr/bin/mcopy"
	"dropbear-bin:/usr/sbin/dropbear"
	"netcat-openbsd:/bin/nc.openbsd"
)

log() { printf '[guest-build] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

inputs_hash() {
	(cd "$HERE" && find . -type f ! -name '*~' ! -name '*.swp' -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

outputs_present() {
	local v id
	[ -s "$OUT/vmlinuz" ] && [ -s "$OUT/manifest.json" ] || return 1
	for v in "${VARIANTS[@]}"; do
		id=${v%%|*}
		[ -s "$OUT/initrd-$id.img" ] || return 1
	done
}

ensure_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		[ -e "${p#*:}" ] || missing+=("${p%%:*}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root"
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9> "$OUT/.lock"
flock 9

ensure_packages
HASH=$(inputs_hash)
if outputs_present && [ "$(cat "$OUT/.inputs-hash" 2>/dev/null)" = "$HASH" ]; then
	log "up to date: $OUT"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "run as root (device nodes in the initramfs, apt-get)"
T0=$(date +%s)
WORK=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---- kernel ------------------------------------------------------------------
kpkg() { apt-cache depends "$KERNEL_META" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
KPKG=$(kpkg)
if [ -z "$KPKG" ]; then
	apt-get update -qq
	KPKG=$(kpkg)
fi
[ -n "$KPKG" ] || die "cannot find the package that $KERNEL_META depends on"
KDEBVER=$(apt-cache policy "$KPKG" | awk '/Candidate:/ { print $2; exit }')
mkdir -p "$OUT/.cache"
DEB=$(ls "$OUT/.cache/${KPKG}_${KDEBVER//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$DEB" ]; then
	log "downloading $KPKG $KDEBVER"
	rm -f "$OUT/.cache/"*.deb
	(cd "$OUT/.cache" && apt-get -qq -o APT::Sandbox::User=root download "$KPKG")
	DEB=$(ls "$OUT/.cache/${KPKG}_"*.deb | head -n 1)
fi
log "kernel package: $(basename "$DEB")"
dpkg-deb -x "$DEB" "$WORK/kernel"
KVER=$(ls "$WORK/kernel/lib/modules" | head -n 1)
[ -f "$WORK/kernel/boot/vmlinuz-$KVER" ] || die "no vmlinuz-$KVER in $DEB"
KMOD="$WORK/kernel/lib/modules/$KVER"
busybox depmod -b "$WORK/kernel" "$KVER"

# ---- base root filesystem ------------------------------------------------------
R="$WORK/root"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,home,mnt,var/log,lib/modules/"$KVER"}
cp /bin/busybox "$R/bin/busybox"
# applet links (absolute targets are fine inside the initramfs)
while read -r applet; do
	[ -e "$R/$applet" ] || [ -L "$R/$applet" ] || ln -s /bin/busybox "$R/$applet"
done < <(busybox --list-full)

# our files
cp -a "$HERE/rootfs/." "$R/"
chmod 0755 "$R/init" "$R/sbin/tl-console" "$R/usr/sbin/tl-qga" "$R/usr/lib/tinylinux/cloud-init.sh" \
	"$R/etc/init.d/rc.late" "$R/etc/init.d/rc.shutdown" "$R/etc/acpi/PWRF/00000080" \
	"$R/usr/share/udhcpc/default.script"
chmod 0600 "$R/etc/shadow"
chmod 0700 "$R/root"
chmod 1777 "$R/tmp"

# e2fsprogs' mke2fs (real ext4) and util-linux's blkid, with their shared libraries
copy_elf() {
	local bin=$1 dest=$2 lib
	cp -L "$bin" "$R$dest"
	for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^[ \t]*\/.*ld-linux/ { print $1 }'); do
		mkdir -p "$R$(dirname "$lib")"
		[ -e "$R$lib" ] || cp -L "$lib" "$R$lib"
	done
}
rm -f "$R/sbin/mke2fs" "$R/sbin/mkfs.ext2" "$R/sbin/blkid"
copy_elf /sbin/mke2fs /sbin/mke2fs
copy_elf /sbin/blkid /sbin/blkid
# dropbear: the guest's SSH server (port-forward and virtctl ssh reach it); host keys are made on first use
copy_elf /usr/sbin/dropbear /usr/sbin/dropbear
mkdir -p "$R/etc/dropbear"
# a netcat that speaks UDP too (busybox's does not), beside busybox's nc
copy_elf /bin/nc.openbsd /usr/bin/nc.openbsd
for l in mkfs.ext2 mkfs.ext3 mkfs.ext4; do ln -sf mke2fs "$R/sbin/$l"; done
cp /etc/mke2fs.conf "$R/etc/mke2fs.conf"

# kernel modules and their dependencies
declare -A WANT=()
add_mod() {
	local rel dep
	rel=$(awk -v m="$1" -F: '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n); x = m; gsub(/-/, "_", x); if (n == x) { print $1; exit } }' "$KMOD/modules.dep")
	if [ -z "$rel" ]; then
		grep -q "/$1.ko" "$KMOD/modules.builtin" 2>/dev/null && return 0
		log "module $1 not found (skipped)"
		return 0
	fi
	[ -n "${WANT[$rel]:-}" ] && return 0
	WANT[$rel]=1
	for dep in $(awk -v r="$rel:" '$1 == r { for (i = 2; i <= NF; i++) print $i; exit }' "$KMOD/modules.dep"); do
		dep=${dep##*/}
		add_mod "${dep%%.ko*}"
	done
}
for m in "${MODULES[@]}"; do add_mod "$m"; done
for rel in "${!WANT[@]}"; do
	mkdir -p "$R/lib/modules/$KVER/$(dirname "$rel")"
	cp "$KMOD/$rel" "$R/lib/modules/$KVER/$rel"
done
cp "$KMOD/modules.builtin" "$KMOD/modules.order" "$R/lib/modules/$KVER/" 2>/dev/null || true
busybox depmod -b "$R" "$KVER"

mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3

# ---- initramfs images ----------------------------------------------------------
mkcpio() { # DIR -> gzip'ed newc archive on stdout
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n)
}
mkdir -p "$WORK/out"
mkcpio "$R" > "$WORK/base.cpio.gz"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/out/vmlinuz"

IMAGES_JSON=""
for v in "${VARIANTS[@]}"; do
	IFS='|' read -r id name vid version pretty <<< "$v"
	o="$WORK/variant-$id"
	mkdir -p "$o/etc"
	cat > "$o/etc/os-release" <<EOF
NAME="$name"
ID=$id
VERSION="$version"
VERSION_ID="$vid"
PRETTY_NAME="$pretty"
HOME_URL="https://example.invalid/$id"
EOF
	[ "$id" = tinylinux ] || echo "ID_LIKE=tinylinux" >> "$o/etc/os-release"
	printf '%s \\n \\l\n\n' "$pretty" > "$o/etc/issue"
	# the variant archive only holds files: appended to the base archive, the
	# kernel unpacks it on top of the base (concatenated cpio archives)
	(cd "$o" && printf '%s\n' etc/os-release etc/issue | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n) > "$WORK/$id.cpio.gz"
	cat "$WORK/base.cpio.gz" "$WORK/$id.cpio.gz" > "$WORK/out/initrd-$id.img"
	size=$(stat -c %s "$WORK/out/initrd-$id.img")
	sum=$(sha256sum "$WORK/out/initrd-$id.img" | cut -d' ' -f1)
	IMAGES_JSON+="${IMAGES_JSON:+,}
    {\"id\": \"$id\", \"name\": \"$name\", \"version\": \"$version\", \"versionId\": \"$vid\", \"prettyName\": \"$pretty\",
     \"initrd\": \"initrd-$id.img\", \"size\": $size, \"sha256\": \"$sum\"}"
	log "initrd-$id.img: $size bytes"
done

cat > "$WORK/out/manifest.json" <<EOF
{
  "kernel": {"file": "vmlinuz", "release": "$KVER", "package": "$KPKG", "packageVersion": "$KDEBVER",
             "sha256": "$(sha256sum "$WORK/out/vmlinuz" | cut -d' ' -f1)"},
  "append": "console=tty0 console=ttyS0",
  "images": [$IMAGES_JSON
  ],
  "guestAgent": {"channel": "org.qemu.guest_agent.0", "version": "7.2.0",
                 "commands": ["guest-sync-delimited", "guest-sync", "guest-ping", "guest-info", "guest-get-osinfo",
                              "guest-get-host-name", "guest-get-users", "guest-get-fsinfo", "guest-get-timezone",
                              "guest-network-get-interfaces", "guest-get-time", "guest-fsfreeze-status",
                              "guest-set-user-password", "guest-get-vcpus", "guest-shutdown"]},
  "cloudInit": {"datasource": "NoCloud", "seed": "virtio disk with serial 'cidata', or a filesystem labelled cidata/CIDATA (iso9660 or vfat)"},
  "inputsHash": "$HASH",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF

# install the results (each mv is atomic; the manifest goes last)
for f in "$WORK/out/"*; do
	[ "${f##*/}" = manifest.json ] || mv -f "$f" "$OUT/"
done
mv -f "$WORK/out/manifest.json" "$OUT/manifest.json"
echo "$HASH" > "$OUT/.inputs-hash"
log "built in $(($(date +%s) - T0)) s: $OUT (kernel $KVER)"
