#!/bin/sh
# Minimal cloud-init, NoCloud data source only.
#   cloud-init.sh init   - find and read the seed, apply meta-data, bootcmd,
#                          write_files, hostname, users/ssh keys (before the consoles start)
#   cloud-init.sh final  - runcmd and a "#!" user-data script (after network and disks)
# State lives in /run/cloud-init (the root filesystem is an initramfs, so this
# runs on every boot).
. /usr/lib/tinylinux/lib.sh

CI=/run/cloud-init
SEED=$CI/seed
AWK=/usr/lib/tinylinux/cloudcfg.awk

# Print the device holding the NoCloud seed, if any.
find_seed() {
	for _d in /sys/block/vd*; do
		[ -e "$_d" ] || continue
		if [ "$(cat "$_d/serial" 2>/dev/null)" = cidata ]; then
			echo "/dev/${_d##*/}"
			return 0
		fi
	done
	for _l in cidata CIDATA; do
		_dev=$(blkid -c /dev/null -o device -t "LABEL=$_l" 2>/dev/null | head -n 1)
		if [ -n "$_dev" ]; then
			echo "$_dev"
			return 0
		fi
	done
	return 1
}

read_seed() {
	dev=$(find_seed) || { tl_log "cloud-init: no NoCloud seed (no disk with serial or label cidata)"; return 1; }
	echo "$dev" > "$CI/seed-device"
	fstype=$(tl_fstype "$dev")
	tl_log "cloud-init: seed on $dev (${fstype:-unknown fs})"
	tl_modprobe_fs "$fstype"
	mkdir -p /run/cidata "$SEED"
	if ! mount -o ro ${fstype:+-t "$fstype"} "$dev" /run/cidata 2>>"$TL_LOG"; then
		tl_log "cloud-init: cannot mount $dev"
		return 1
	fi
	for f in meta-data user-data vendor-data network-config; do
		[ -f "/run/cidata/$f" ] && cp "/run/cidata/$f" "$SEED/$f"
	done
	umount /run/cidata
	rmdir /run/cidata 2>/dev/null
	return 0
}

# Value of a top-level scalar from a flattened YAML dump (cloudcfg.awk mode=dump).
dump_get() { awk -F '\t' -v k="$2" '$1 == k { print $2; exit }' "$1"; }

stage_init() {
	read_seed || return 0
	if [ -f "$SEED/meta-data" ]; then
		awk -v mode=dump -f "$AWK" "$SEED/meta-data" > "$CI/meta-data.flat" 2>>"$TL_LOG"
		iid=$(dump_get "$CI/meta-data.flat" instance-id)
		lh=$(dump_get "$CI/meta-data.flat" local-hostname)
		[ -n "$lh" ] || lh=$(dump_get "$CI/meta-data.flat" hostname)
		[ -n "$iid" ] && echo "$iid" > "$CI/instance-id"
		tl_log "cloud-init: instance-id '${iid}' local-hostname '${lh}'"
		tl_set_hostname "$lh"
		# NoCloud meta-data may carry public-keys for the default user (root here)
		awk -F '\t' '$1 ~ /^public-keys(\.[0-9]+)?$/ && $2 != "" { print $2 }' "$CI/meta-data.flat" |
			while IFS= read -r k; do tl_add_key root "$k"; done
	fi
	[ -f "$SEED/user-data" ] || return 0
	first=$(head -n 1 "$SEED/user-data" | tr -d '\r')
	case "$first" in
	'#cloud-config'*)
		awk -v mode=script -v out_init="$CI/init.sh" -v out_final="$CI/runcmd.sh" \
			-f "$AWK" "$SEED/user-data" 2>>"$TL_LOG"
		if [ -f "$CI/init.sh" ]; then
			tl_log "cloud-init: running init stage (bootcmd, write_files, hostname, users)"
			sh "$CI/init.sh"
		fi
		;;
	'#!'*)
		cp "$SEED/user-data" "$CI/user-script"
		chmod 700 "$CI/user-script"
		tl_log "cloud-init: user-data is a script, it runs in the final stage"
		;;
	'')
		;;
	*)
		tl_log "cloud-init: unsupported user-data format ('$first'), ignored"
		;;
	esac
}

stage_final() {
	out=/var/log/cloud-init-output.log
	if [ -f "$CI/runcmd.sh" ]; then
		tl_log "cloud-init: runcmd"
		(cd / && HOME=/root sh "$CI/runcmd.sh") >> "$out" 2>&1
		tl_log "cloud-init: runcmd exited with $?"
	fi
	if [ -f "$CI/user-script" ]; then
		tl_log "cloud-init: running user-data script"
		(cd / && HOME=/root "$CI/user-script") >> "$out" 2>&1
		tl_log "cloud-init: user-data script exited with $?"
	fi
	tl_epoch > "$CI/boot-finished"
}

mkdir -p "$CI"
case "$1" in
init) stage_init ;;
final) stage_final ;;
*) echo "usage: $0 init|final" >&2; exit 2 ;;
esac
