# Tiny Linux shell helpers, sourced by /init, the rc scripts, cloud-init and the agent.
# shellcheck shell=sh

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
[ -r /etc/os-release ] && . /etc/os-release
TL_ID=${ID:-tinylinux}
TL_LOG=/var/log/tinylinux.log

tl_uptime() { read -r _u _ < /proc/uptime; echo "$_u"; }

tl_log() { echo "[$(tl_uptime)] $*" >> "$TL_LOG"; }

# Seconds since the epoch with centiseconds, from the boot time and the uptime
# (busybox date has no %N).
tl_epoch() {
	awk '/^btime/ { b = $2 } END { getline u < "/proc/uptime"; split(u, a, " "); printf "%.2f\n", b + a[1] }' /proc/stat
}

# Virtio device ids on the virtio bus (see /sys/bus/virtio/devices/*/device).
tl_have_virtio() { grep -qx "$1" /sys/bus/virtio/devices/*/device 2>/dev/null; }

tl_load_modules() {
	modprobe -q virtio_pci
	modprobe -q -a virtio_blk virtio_net virtio_console virtio_rng
	# virtio-scsi (id 0x0008): load the SCSI disk/CD drivers and scan synchronously.
	if tl_have_virtio 0x0008; then
		modprobe -q scsi_mod scan=sync
		modprobe -q -a virtio_scsi sd_mod sr_mod
	fi
	# PIIX IDE (machine "pc") for an IDE CD-ROM with the cidata ISO.
	if grep -q 'v00008086d00007010' /sys/bus/pci/devices/*/modalias 2>/dev/null; then
		modprobe -q scsi_mod scan=sync
		modprobe -q -a ata_piix sr_mod sd_mod
	fi
	# ACPI power button -> input event device for acpid
	modprobe -q -a button evdev
}

# /dev/virtio-ports/<name> symlinks (normally made by udev).
tl_virtio_port_links() {
	for _p in /sys/class/virtio-ports/*; do
		[ -r "$_p/name" ] || continue
		_n=$(cat "$_p/name" 2>/dev/null)
		[ -n "$_n" ] || continue
		mkdir -p /dev/virtio-ports
		[ -e "/dev/virtio-ports/$_n" ] || ln -sf "../${_p##*/}" "/dev/virtio-ports/$_n"
	done
}

# Filesystem type of a block device ("" when none is recognised).
tl_fstype() { blkid -c /dev/null -s TYPE -o value "$1" 2>/dev/null; }

tl_modprobe_fs() {
	case "$1" in
	iso9660) modprobe -q isofs ;;
	vfat | msdos) modprobe -q -a vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1 ;;
	esac
}

tl_set_hostname() {
	[ -n "$1" ] || return 0
	hostname "$1" && echo "$1" > /etc/hostname
	tl_log "hostname set to $1"
}

tl_home_of() { awk -F: -v u="$1" '$1 == u { print $6; exit }' /etc/passwd; }

# tl_add_user NAME [HOME] [SHELL] [GECOS] [UID]
tl_add_user() {
	_name=$1
	case "$_name" in '' | *[!A-Za-z0-9._-]*) tl_log "user: invalid name '$_name'"; return 1 ;; esac
	grep -q "^$_name:" /etc/passwd && return 0
	_home=${2:-/home/$_name}
	_shell=${3:-/bin/sh}
	_gecos=$(printf '%s' "$4" | tr -d ':\n')
	_uid=$5
	if [ -z "$_uid" ]; then
		_uid=$(awk -F: 'BEGIN { m = 999 } $3 >= 1000 && $3 < 60000 && $3 > m { m = $3 } END { print m + 1 }' /etc/passwd)
	fi
	echo "$_name:x:$_uid:$_uid:$_gecos:$_home:$_shell" >> /etc/passwd
	grep -q "^$_name:" /etc/group || echo "$_name:x:$_uid:" >> /etc/group
	# "*": no password login, but not locked ("!" would make dropbear refuse the user's SSH keys too)
	echo "$_name:*:20000:0:99999:7:::" >> /etc/shadow
	mkdir -p "$_home"
	chown "$_uid:$_uid" "$_home"
	chmod 755 "$_home"
	tl_log "user $_name added (uid $_uid)"
}

# tl_add_group_member GROUP USER (creates the group if needed)
tl_add_group_member() {
	grep -q "^$1:" /etc/group || echo "$1:x:$(awk -F: 'BEGIN{m=999} $3>m&&$3<60000{m=$3} END{print m+1}' /etc/group):" >> /etc/group
	awk -F: -v OFS=: -v g="$1" -v u="$2" '$1 == g { n = split($4, a, ","); f = 0; for (i = 1; i <= n; i++) if (a[i] == u) f = 1; if (!f) $4 = ($4 == "" ? u : $4 "," u) } { print }' /etc/group > /etc/group.new && mv /etc/group.new /etc/group
}

# tl_add_key USER KEY
tl_add_key() {
	_home=$(tl_home_of "$1")
	[ -n "$_home" ] || { tl_log "ssh key: no user $1"; return 1; }
	[ -n "$2" ] || return 0
	mkdir -p "$_home/.ssh"
	touch "$_home/.ssh/authorized_keys"
	grep -qxF "$2" "$_home/.ssh/authorized_keys" || printf '%s\n' "$2" >> "$_home/.ssh/authorized_keys"
	chmod 700 "$_home/.ssh"
	chmod 600 "$_home/.ssh/authorized_keys"
	chown -R "$1:" "$_home/.ssh" 2>/dev/null || chown -R "$1" "$_home/.ssh"
}

# tl_set_password USER PASSWORD CRYPTED(0|1)
tl_set_password() {
	grep -q "^$1:" /etc/shadow || return 1
	if [ "$3" = 1 ]; then _h=$2; else _h=$(printf '%s' "$2" | mkpasswd -m sha512 -P 0); fi
	[ -n "$_h" ] || return 1
	awk -F: -v OFS=: -v u="$1" -v h="$_h" '$1 == u { $2 = h } { print }' /etc/shadow > /etc/shadow.new &&
		mv /etc/shadow.new /etc/shadow && chmod 600 /etc/shadow
	tl_log "password set for $1"
}

# tl_write_file PATH PERMISSIONS OWNER ENCODING APPEND  (content on stdin)
tl_write_file() {
	_path=$1
	case "$_path" in /*) ;; *) tl_log "write_files: relative path '$_path' skipped"; cat > /dev/null; return 1 ;; esac
	mkdir -p "$(dirname "$_path")"
	case "$5" in [Tt]rue | [Yy]es | 1) _redir='>>' ;; *) _redir='>' ;; esac
	case "$4" in
	b64 | base64) _dec='base64 -d' ;;
	gz+b64 | gzip+base64 | gz+base64 | gzip+b64) _dec='base64 -d | gunzip -c' ;;
	gz | gzip) _dec='gunzip -c' ;;
	*) _dec='cat' ;;
	esac
	eval "$_dec $_redir \"\$_path\"" || tl_log "write_files: failed to write $_path"
	chmod "${2:-0644}" "$_path" 2>/dev/null
	[ -n "$3" ] && chown "$3" "$_path" 2>/dev/null
	tl_log "write_files: $_path"
	return 0
}

# Bring an ethernet NIC up and run a DHCP client on it, unless one runs already.
# Returns 1 for what is not an ethernet NIC.
tl_nic_up() {
	[ "$1" = lo ] && return 1
	read -r _t < "/sys/class/net/$1/type" 2>/dev/null || return 1
	[ "$_t" = 1 ] || return 1   # ethernet only
	_p=/run/udhcpc.$1.pid
	if [ -f "$_p" ] && read -r _pid < "$_p" && [ -d "/proc/$_pid" ]; then return 0; fi
	ip link set "$1" up
	# -b: go to the background once a lease is bound (or after the tries
	# failed), keep renewing it
	udhcpc -i "$1" -b -t 5 -T 1 -A 5 -S -p "$_p" \
		-x "hostname:$(hostname)" -s /usr/share/udhcpc/default.script
	return 0
}
