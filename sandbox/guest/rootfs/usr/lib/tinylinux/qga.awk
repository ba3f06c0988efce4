# qga.awk - answers one QEMU guest agent command (one JSON object on stdin).
# Prints the JSON reply on one line, or a directive for tl-qga:
#   "@delim JSON"      reply preceded by the 0xFF sentinel (guest-sync-delimited)
#   "@shutdown MODE"   no reply; tl-qga powers off / halts / reboots
# Run by /usr/sbin/tl-qga with busybox awk.

BEGIN {
	if (VERSION == "") VERSION = "7.2.0"
	for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i
	HEX = "0123456789abcdef"
	CTRL = "[" sprintf("%c", 1) "-" sprintf("%c", 31) sprintf("%c", 127) "]"
	NCMD = split("guest-sync-delimited guest-sync guest-ping guest-info guest-get-osinfo guest-get-host-name " \
		"guest-get-users guest-get-fsinfo guest-get-timezone guest-network-get-interfaces guest-get-time " \
		"guest-fsfreeze-status guest-set-user-password guest-get-vcpus guest-shutdown", CMDS, " ")
	for (i = 1; i <= NCMD; i++) KNOWN[CMDS[i]] = 1
}

# ---- JSON reading ----------------------------------------------------------

function perr(m) { if (ERR == "") ERR = m " at offset " P }
function ws(   c) { while (P <= L) { c = substr(S, P, 1); if (c == " " || c == "\t" || c == "\r" || c == "\n") P++; else break } }
function hexval(h,   i, v, c) {
	v = 0; h = tolower(h)
	for (i = 1; i <= length(h); i++) { c = index(HEX, substr(h, i, 1)); if (!c) return -1; v = v * 16 + c - 1 }
	return v
}
function utf8(c) {
	if (c < 128) return sprintf("%c", c)
	if (c < 2048) return sprintf("%c%c", 192 + int(c / 64), 128 + c % 64)
	return sprintf("%c%c%c", 224 + int(c / 4096), 128 + int(c / 64) % 64, 128 + c % 64)
}
function jstring(   out, c, v) {
	P++; out = ""
	while (P <= L) {
		c = substr(S, P, 1)
		if (c == "\"") { P++; return out }
		if (c == "\\") {
			P++; c = substr(S, P, 1)
			if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"
			else if (c == "r") out = out "\r"; else if (c == "b") out = out "\b"
			else if (c == "f") out = out "\f"
			else if (c == "u") { v = hexval(substr(S, P + 1, 4)); if (v < 0) { perr("bad \\u escape"); return out } if (v > 0) out = out utf8(v); P += 4 }
			else if (c == "\"" || c == "\\" || c == "/") out = out c
			else { perr("bad escape"); return out }
			P++; continue
		}
		if (ORD[c] < 32) { perr("control character in string"); return out }
		out = out c; P++
	}
	perr("unterminated string"); return out
}
function jvalue(path, depth,   c, k, n) {
	ws(); if (ERR != "") return
	if (depth > 32) { perr("nesting too deep"); return }
	c = substr(S, P, 1)
	if (c == "{") {
		P++; T[path] = "object"; ws()
		if (substr(S, P, 1) == "}") { P++; return }
		while (ERR == "") {
			ws(); if (substr(S, P, 1) != "\"") { perr("expected a member name"); return }
			k = jstring(); ws()
			if (substr(S, P, 1) != ":") { perr("expected ':'"); return }
			P++; jvalue(path == "" ? k : path "." k, depth + 1); ws()
			c = substr(S, P, 1); P++
			if (c == "}") return
			if (c != ",") { perr("expected ',' or '}'"); return }
		}
		return
	}
	if (c == "[") {
		P++; T[path] = "array"; n = 0; ws()
		if (substr(S, P, 1) == "]") { P++; N[path] = 0; return }
		while (ERR == "") {
			jvalue(path "." n, depth + 1); n++; ws()
			c = substr(S, P, 1); P++
			if (c == "]") { N[path] = n; return }
			if (c != ",") { perr("expected ',' or ']'"); return }
		}
		return
	}
	if (c == "\"") { V[path] = jstring(); T[path] = "string"; return }
	if (match(substr(S, P, 40), /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { V[path] = substr(S, P, RLENGTH); T[path] = "number"; P += RLENGTH; return }
	if (substr(S, P, 4) == "true") { V[path] = "true"; T[path] = "bool"; P += 4; return }
	if (substr(S, P, 5) == "false") { V[path] = "false"; T[path] = "bool"; P += 5; return }
	if (substr(S, P, 4) == "null") { V[path] = "null"; T[path] = "null"; P += 4; return }
	perr("unexpected input")
}

# ---- JSON writing ----------------------------------------------------------

function js(s,   out, i, n, c, o) {
	if (!index(s, "\"") && !index(s, "\\") && s !~ CTRL) return "\"" s "\""
	out = ""; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1); o = ORD[c]
		if (c == "\"") out = out "\\\""
		else if (c == "\\") out = out "\\\\"
		else if (c == "\n") out = out "\\n"
		else if (c == "\r") out = out "\\r"
		else if (c == "\t") out = out "\\t"
		else if (o < 32 || o == 127) out = out sprintf("\\u%04x", o)
		else out = out c
	}
	return "\"" out "\""
}
function raw(path) { return T[path] == "string" ? js(V[path]) : V[path] }
function num(v) { return sprintf("%.0f", v + 0) }

function ok(ret) { return "{\"return\": " ret IDPART "}" }
function fail(cls, desc) { return "{\"error\": {\"class\": " js(cls) ", \"desc\": " js(desc) "}" IDPART "}" }

# ---- helpers ---------------------------------------------------------------

function sh1(cmd,   l) { l = ""; cmd | getline l; close(cmd); return l }
function file1(f,   l) { l = ""; if ((getline l < f) <= 0) l = ""; close(f); return l }
function shq(s) { gsub(/'/, "'\\''", s); return "'" s "'" }
function unoct(s,   out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
			out = out sprintf("%c", (substr(s, i + 1, 1) * 64) + (substr(s, i + 2, 1) * 8) + substr(s, i + 3, 1)); i += 3
		} else out = out c
	}
	return out
}

function osrelease(   f, l, k, v) {
	f = "/etc/os-release"
	while ((getline l < f) > 0) {
		if (l !~ /^[A-Z_]+=/) continue
		k = substr(l, 1, index(l, "=") - 1); v = substr(l, index(l, "=") + 1)
		if (v ~ /^".*"$/ || v ~ /^'.*'$/) v = substr(v, 2, length(v) - 2)
		OS[k] = v
	}
	close(f)
}

# ---- commands --------------------------------------------------------------

function c_info(   i, s) {
	s = ""
	for (i = 1; i <= NCMD; i++)
		s = s (i > 1 ? ", " : "") "{\"enabled\": true, \"name\": " js(CMDS[i]) ", \"success-response\": " (CMDS[i] == "guest-shutdown" ? "false" : "true") "}"
	return ok("{\"version\": " js(VERSION) ", \"supported_commands\": [" s "]}")
}

function c_osinfo() {
	osrelease()
	return ok("{\"name\": " js(OS["NAME"]) ", \"kernel-release\": " js(sh1("uname -r")) \
		", \"version\": " js(OS["VERSION"]) ", \"pretty-name\": " js(OS["PRETTY_NAME"]) \
		", \"version-id\": " js(OS["VERSION_ID"]) ", \"kernel-version\": " js(sh1("uname -v")) \
		", \"machine\": " js(sh1("uname -m")) ", \"id\": " js(OS["ID"]) "}")
}

# logged-in users: one entry per user with the earliest login (as qemu-ga does)
function c_users(   d, cmd, f, l, a, u, t, s, n, i, order) {
	d = "/run/tinylinux/sessions"; cmd = "ls " d " 2>/dev/null"; n = 0
	while ((cmd | getline f) > 0) {
		l = file1(d "/" f)
		if (split(l, a, " ") < 4) continue
		# a[1]=user a[2]=tty a[3]=login time a[4]=pid of the session shell
		if (file1("/proc/" a[4] "/stat") == "") continue
		u = a[1]; t = a[3] + 0
		if (!(u in LT)) { order[++n] = u; LT[u] = t } else if (t < LT[u]) LT[u] = t
	}
	close(cmd)
	s = ""
	for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") "{\"user\": " js(order[i]) ", \"login-time\": " sprintf("%.3f", LT[order[i]]) "}"
	return ok("[" s "]")
}

# the PCI address and serial of a disk (vda, sdb, ...); sets DISK
function diskinfo(base,   link, n, parts, i, a, bus, dev, serial) {
	link = sh1("readlink -f /sys/block/" base "/device")
	n = split(link, parts, "/"); a = ""
	for (i = n; i > 0; i--) if (parts[i] ~ /^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+\.[0-7]$/) { a = parts[i]; break }
	bus = (base ~ /^vd/) ? "virtio" : (base ~ /^(sd|sr)/ ? "scsi" : "unknown")
	serial = file1("/sys/block/" base "/serial")
	if (serial == "" && bus == "scsi") serial = file1("/sys/block/" base "/device/vpd_pg80")
	DISK = "{\"bus-type\": " js(bus) ", \"bus\": 0, \"target\": 0, \"unit\": 0, \"dev\": " js("/dev/" base)
	if (a != "") {
		split(a, parts, /[:.]/)
		DISK = DISK ", \"pci-controller\": {\"domain\": " hexval(parts[1]) ", \"bus\": " hexval(parts[2]) ", \"slot\": " hexval(parts[3]) ", \"function\": " parts[4] "}"
	}
	if (serial != "") DISK = DISK ", \"serial\": " js(serial)
	DISK = DISK "}"
}

function c_fsinfo(   f, l, a, dev, mp, type, name, base, st, b, s, disks, seen) {
	f = "/proc/mounts"; s = ""
	while ((getline l < f) > 0) {
		split(l, a, " "); dev = a[1]; mp = unoct(a[2]); type = a[3]
		if (!(dev ~ /^\/dev\// || mp == "/")) continue
		if (mp in seen) continue
		seen[mp] = 1
		st = sh1("stat -f -c '%S %b %f %a' " shq(mp) " 2>/dev/null")
		if (split(st, b, " ") < 4) continue
		if (dev ~ /^\/dev\//) {
			name = dev; sub(/^\/dev\//, "", name)
			base = name
			if (base ~ /^(vd|sd)[a-z]+[0-9]+$/) sub(/[0-9]+$/, "", base)
			diskinfo(base); disks = "[" DISK "]"
		} else { name = dev; disks = "[]" }
		s = s (s != "" ? ", " : "") "{\"name\": " js(name) ", \"mountpoint\": " js(mp) ", \"type\": " js(type) \
			", \"used-bytes\": " num((b[2] - b[3]) * b[1]) ", \"total-bytes\": " num((b[2] - b[3] + b[4]) * b[1]) \
			", \"disk\": " disks "}"
	}
	close(f)
	return ok("[" s "]")
}

function c_timezone(   z, o, secs) {
	z = sh1("date +%Z"); o = sh1("date +%z")
	secs = 0
	if (o ~ /^[-+][0-9][0-9][0-9][0-9]$/) { secs = substr(o, 2, 2) * 3600 + substr(o, 4, 2) * 60; if (substr(o, 1, 1) == "-") secs = -secs }
	return ok("{\"zone\": " js(z == "" ? "UTC" : z) ", \"offset\": " secs "}")
}

function c_time(   up, bt, l, a) {
	split(file1("/proc/uptime"), a, " "); up = a[1]
	while ((getline l < "/proc/stat") > 0) if (l ~ /^btime /) { split(l, a, " "); bt = a[2] }
	close("/proc/stat")
	# integer nanoseconds, built as a string (awk numbers are doubles)
	split(up, a, "."); a[2] = substr(a[2] "000000000", 1, 9)
	return ok(sprintf("%d", bt + a[1]) a[2])
}

function c_ifaces(   n, cmd, ifc, s, addrs, l, a, i, ip, pfx, fam, st, k, keys, names) {
	cmd = "ls /sys/class/net 2>/dev/null"; s = ""
	while ((cmd | getline ifc) > 0) names[++n] = ifc
	close(cmd)
	split("rx-bytes:rx_bytes rx-packets:rx_packets rx-errs:rx_errors rx-dropped:rx_dropped tx-bytes:tx_bytes tx-packets:tx_packets tx-errs:tx_errors tx-dropped:tx_dropped", keys, " ")
	for (k = 1; k <= n; k++) {
		ifc = names[k]
		if (ifc !~ /^[A-Za-z0-9._@-]+$/) continue
		addrs = ""
		cmd = "ip -o addr show dev " ifc " 2>/dev/null"
		while ((cmd | getline l) > 0) {
			split(l, a, " ")
			for (i = 1; i < length(a); i++) if (a[i] == "inet" || a[i] == "inet6") {
				fam = a[i] == "inet" ? "ipv4" : "ipv6"
				ip = a[i + 1]; pfx = ip; sub(/\/.*/, "", ip); sub(/^[^\/]*\/?/, "", pfx)
				if (pfx == "") pfx = (fam == "ipv4" ? 32 : 128)
				addrs = addrs (addrs != "" ? ", " : "") "{\"ip-address-type\": \"" fam "\", \"ip-address\": " js(ip) ", \"prefix\": " pfx "}"
				break
			}
		}
		close(cmd)
		st = ""
		for (i = 1; i <= 8; i++) {
			split(keys[i], a, ":")
			st = st (i > 1 ? ", " : "") "\"" a[1] "\": " num(file1("/sys/class/net/" ifc "/statistics/" a[2]))
		}
		s = s (s != "" ? ", " : "") "{\"name\": " js(ifc) ", \"hardware-address\": " js(file1("/sys/class/net/" ifc "/address")) \
			", \"ip-addresses\": [" addrs "], \"statistics\": {" st "}}"
	}
	return ok("[" s "]")
}

function c_vcpus(   l, a, i, n, r, lo, hi, j, s) {
	l = file1("/sys/devices/system/cpu/online"); s = ""
	n = split(l, a, ",")
	for (i = 1; i <= n; i++) {
		split(a[i], r, "-"); lo = r[1] + 0; hi = (r[2] == "" ? lo : r[2] + 0)
		for (j = lo; j <= hi; j++) s = s (s != "" ? ", " : "") "{\"logical-id\": " j ", \"online\": true, \"can-offline\": " (j == 0 ? "false" : "true") "}"
	}
	return ok("[" s "]")
}

function c_setpw(   u, pw, cr, r) {
	u = V["arguments.username"]; pw = V["arguments.password"]; cr = (V["arguments.crypted"] == "true") ? 1 : 0
	if (T["arguments.username"] != "string" || T["arguments.password"] != "string") return fail("GenericError", "Parameters 'username' and 'password' are required")
	if (u !~ /^[A-Za-z0-9._-]+$/ || pw !~ /^[A-Za-z0-9+\/=]*$/) return fail("GenericError", "Invalid parameter")
	r = system(". /usr/lib/tinylinux/lib.sh; tl_set_password " shq(u) " \"$(echo " shq(pw) " | base64 -d)\" " cr " 2>/dev/null")
	if (r != 0) return fail("GenericError", "Failed to set the password of user '" u "'")
	return ok("{}")
}

function dispatch(cmd,   m) {
	if (cmd == "guest-sync" || cmd == "guest-sync-delimited") {
		if (T["arguments.id"] != "number") return fail("GenericError", "Parameter 'id' is missing or not a number")
		return (cmd == "guest-sync-delimited" ? "@delim " : "") ok(V["arguments.id"])
	}
	if (cmd == "guest-ping") return ok("{}")
	if (cmd == "guest-info") return c_info()
	if (cmd == "guest-get-osinfo") return c_osinfo()
	if (cmd == "guest-get-host-name") return ok("{\"host-name\": " js(file1("/proc/sys/kernel/hostname")) "}")
	if (cmd == "guest-get-users") return c_users()
	if (cmd == "guest-get-fsinfo") return c_fsinfo()
	if (cmd == "guest-get-timezone") return c_timezone()
	if (cmd == "guest-network-get-interfaces") return c_ifaces()
	if (cmd == "guest-get-time") return c_time()
	if (cmd == "guest-fsfreeze-status") return ok("\"thawed\"")
	if (cmd == "guest-set-user-password") return c_setpw()
	if (cmd == "guest-get-vcpus") return c_vcpus()
	if (cmd == "guest-shutdown") {
		m = ("arguments.mode" in V) ? V["arguments.mode"] : "powerdown"
		if (m != "powerdown" && m != "halt" && m != "reboot") return fail("GenericError", "Invalid parameter 'mode'")
		return "@shutdown " m
	}
	return fail("CommandNotFound", "The command " cmd " has not been found")
}

{ LINE = LINE $0 }

END {
	# drop anything before the first '{' (e.g. 0xFF sentinel bytes sent by the host)
	i = index(LINE, "{")
	if (i == 0) {
		if (LINE ~ /^[ \t\r\377]*$/) exit 0
		print fail("CommandNotFound", "Invalid JSON: expected an object with 'execute'"); exit 0
	}
	S = substr(LINE, i); L = length(S); P = 1; ERR = ""
	if (L > 65536) { print fail("CommandNotFound", "Invalid JSON: request too long"); exit 0 }
	jvalue("", 0); ws()
	if (ERR == "" && P <= L) perr("trailing characters")
	IDPART = ""
	if (ERR == "" && ("id" in T) && (T["id"] == "string" || T["id"] == "number")) IDPART = ", \"id\": " raw("id")
	if (ERR != "") { print fail("CommandNotFound", "Invalid JSON: " ERR); exit 0 }
	if (T[""] != "object" || T["execute"] != "string") { print fail("CommandNotFound", "Expected an object with 'execute'"); exit 0 }
	print dispatch(V["execute"])
}
