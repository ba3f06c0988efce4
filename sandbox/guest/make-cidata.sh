#!/usr/bin/env bash
# Make a NoCloud seed image (volume label "cidata") for the Tiny Linux guest.
#
#   sandbox/guest/make-cidata.sh [--vfat] SRC_DIR OUT.img
#
# SRC_DIR holds user-data and meta-data (network-config and vendor-data are
# copied when present). Default format: ISO 9660 (genisoimage, Joliet + Rock
# Ridge). --vfat makes a 2 MiB FAT image instead (mkfs.vfat + mcopy). Neither
# needs root or a loop mount. Attach the image as a virtio disk, e.g.
#   -drive file=OUT.img,format=raw,if=virtio,readonly=on,serial=cidata
# (the guest finds it by the serial "cidata" or by the volume label).
set -euo pipefail

fmt=iso
if [ "${1:-}" = --vfat ]; then fmt=vfat; shift; fi
[ $# -eq 2 ] || { echo "usage: $0 [--vfat] SRC_DIR OUT.img" >&2; exit 2; }
src=$1 out=$2
[ -f "$src/user-data" ] || { echo "$src/user-data is missing" >&2; exit 1; }
[ -f "$src/meta-data" ] || { echo "$src/meta-data is missing" >&2; exit 1; }

files=("$src/user-data" "$src/meta-data")
for f in network-config vendor-data; do [ -f "$src/$f" ] && files+=("$src/$f"); done

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
case $fmt in
iso)
	command -v genisoimage > /dev/null || { echo "genisoimage is missing (apt-get install genisoimage)" >&2; exit 1; }
	genisoimage -quiet -output "$tmp" -volid cidata -joliet -rock "${files[@]}"
	;;
vfat)
	command -v mkfs.vfat > /dev/null && command -v mcopy > /dev/null ||
		{ echo "mkfs.vfat/mcopy are missing (apt-get install dosfstools mtools)" >&2; exit 1; }
	rm -f "$tmp"
	truncate -s 2M "$tmp"
	mkfs.vfat -n CIDATA "$tmp" > /dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -oi "$tmp" "${files[@]}" ::
	;;
esac
mv -f "$tmp" "$out"
trap - EXIT
