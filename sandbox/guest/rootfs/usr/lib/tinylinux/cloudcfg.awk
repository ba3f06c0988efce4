# cloudcfg.awk - a small YAML subset parser for cloud-init NoCloud data (busybox awk).
#
# Supported YAML: block mappings and sequences (any indentation), "- key: value"
# items, nested "- - x" items, plain / 'single' / "double" quoted scalars,
# literal (|, |-, |+) and folded (>, >-, >+) block scalars, one-line flow
# sequences and mappings ([a, "b c"], {k: v}), comments, "---".
# Not supported: anchors/aliases, tags, multi-line flow collections or quoted
# scalars spanning lines, complex keys.
#
# Modes (-v mode=...):
#   dump    print "path<TAB>value" for every scalar (path segments joined by ".",
#           sequence items numbered from 0); newlines in values become "\n".
#   script  translate #cloud-config into shell: -v out_init=FILE gets bootcmd,
#           write_files, hostname, users and ssh keys; -v out_final=FILE gets runcmd.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function child(p, k) { return p == "" ? k : p "." k }

# remove a trailing comment (a "#" at the start or after blank, outside quotes)
function stripc(s,   i, n, c, q, prev) {
	n = length(s); q = ""; prev = " "
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (q == "\"") {
			if (c == "\\") { i++; prev = "x"; continue }
			if (c == "\"") q = ""
		} else if (q == "'") {
			if (c == "'") { if (substr(s, i + 1, 1) == "'") { i++; continue } q = "" }
		} else if (c == "#" && (prev == " " || prev == "\t")) {
			return substr(s, 1, i - 1)
		} else if ((c == "\"" || c == "'") && (prev == " " || prev == "\t" || prev == ":" || prev == "-" || prev == "[" || prev == "{" || prev == ",")) {
			q = c
		}
		prev = c
	}
	return s
}

function setv(p, v) { V[p] = v; K[p] = "v" }
function newcoll(p, kind) { K[p] = kind; if (kind == "s") N[p] = 0 }
function addkey(p, k,   c) { c = child(p, k); if (!((p SUBSEP k) in SEEN)) { SEEN[p, k] = 1; MK[p, ++MN[p]] = k } return c }

function push(ind, p, kind) { top++; LI[top] = ind; LP[top] = p; LK[top] = kind; newcoll(p, kind) }

# "key: rest" ? sets KEY and REST
function iskey(s,   m, c) {
	if (s ~ /^"[^"]*"[ \t]*:([ \t]|$)/) { m = index(substr(s, 2), "\""); KEY = substr(s, 2, m - 1); REST = trim(substr(s, m + 2)); sub(/^:/, "", REST); REST = trim(REST); return 1 }
	if (s ~ /^'[^']*'[ \t]*:([ \t]|$)/) { m = index(substr(s, 2), "'"); KEY = substr(s, 2, m - 1); REST = trim(substr(s, m + 2)); sub(/^:/, "", REST); REST = trim(REST); return 1 }
	c = substr(s, 1, 1)
	if (index("\"'[]{}#&*!|>%@`, \t", c)) return 0
	if (c == "-" && substr(s, 2, 1) ~ /^[ \t]?$/) return 0
	if ((m = match(s, /:([ \t]|$)/)) > 0) {
		KEY = trim(substr(s, 1, m - 1)); REST = trim(substr(s, m + 1)); return 1
	}
	return 0
}

function unq_double(s,   out, i, n, c) {
	out = ""; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\") {
			i++; c = substr(s, i, 1)
			if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"
			else if (c == "r") out = out "\r"; else if (c == "0") out = out ""
			else if (c == "\\" || c == "\"" || c == "/") out = out c
			else if (c == " ") out = out " "; else out = out "\\" c
		} else out = out c
	}
	return out
}

# parse a quoted scalar at the start of s; sets QLEN (characters consumed)
function quoted(s,   q, i, n, c, out) {
	q = substr(s, 1, 1); n = length(s); out = ""
	for (i = 2; i <= n; i++) {
		c = substr(s, i, 1)
		if (q == "\"" && c == "\\") { out = out c substr(s, i + 1, 1); i++; continue }
		if (c == q) {
			if (q == "'" && substr(s, i + 1, 1) == "'") { out = out "'"; i++; continue }
			QLEN = i
			return q == "\"" ? unq_double(out) : out
		}
		out = out c
	}
	QLEN = n
	WARN = WARN "unterminated quoted scalar; "
	return q == "\"" ? unq_double(out) : out
}

# flow collections on one line: FS_ holds the text, FP the position
function fws() { while (FP <= FL && index(" \t", substr(FS_, FP, 1))) FP++ }
function fplain(stop,   st, c) {
	st = FP
	while (FP <= FL) { c = substr(FS_, FP, 1); if (index(stop, c)) break; FP++ }
	return trim(substr(FS_, st, FP - st))
}
function fvalue(p, depth,   c, v, i, k) {
	fws(); c = substr(FS_, FP, 1)
	if (depth > 20) { FP = FL + 1; return }
	if (c == "[") {
		newcoll(p, "s"); FP++; i = 0
		while (FP <= FL) {
			fws(); c = substr(FS_, FP, 1)
			if (c == "]") { FP++; break }
			if (c == ",") { FP++; continue }
			fvalue(p "." i, depth + 1); i++; N[p] = i
		}
		return
	}
	if (c == "{") {
		newcoll(p, "m"); FP++
		while (FP <= FL) {
			fws(); c = substr(FS_, FP, 1)
			if (c == "}") { FP++; break }
			if (c == ",") { FP++; continue }
			if (c == "\"" || c == "'") { k = quoted(substr(FS_, FP)); FP += QLEN } else k = fplain(":,}")
			fws()
			if (substr(FS_, FP, 1) == ":") { FP++; fvalue(addkey(p, k), depth + 1) } else setv(addkey(p, k), "")
		}
		return
	}
	if (c == "\"" || c == "'") { v = quoted(substr(FS_, FP)); FP += QLEN; setv(p, v); return }
	setv(p, fplain(",]}"))
}

function scalar(p, s, ind) {
	if (s ~ /^[|>]/) {
		INBLOCK = 1; BPATH = p; BPARENT = ind; BIND = -1; BN = 0
		BSTYLE = substr(s, 1, 1); BCHOMP = ""
		if (s ~ /^.[0-9]?-/ || s ~ /^.-/) BCHOMP = "-"
		if (s ~ /^.[0-9]?\+/ || s ~ /^.\+/) BCHOMP = "+"
		if (match(s, /[1-9]/)) BIND = ind + substr(s, RSTART, 1)
		return
	}
	if (s ~ /^[\[{]/) { FS_ = s; FP = 1; FL = length(s); fvalue(p, 0); return }
	if (s ~ /^["']/) { setv(p, quoted(s)); return }
	setv(p, s)
}

function endblock(   n, i, out, l, pt) {
	n = BN
	while (n > 0 && BL[n] ~ /^[ \t]*$/) n--
	out = ""; pt = ""
	for (i = 1; i <= n; i++) {
		l = BL[i]
		if (BSTYLE == "|") { out = (i == 1) ? l : out "\n" l; continue }
		# folded: a break between two text lines becomes a space, an empty line a newline
		if (l == "") { out = out "\n"; pt = "e" }
		else if (l ~ /^[ \t]/) { if (pt == "t" || pt == "m") out = out "\n"; out = out l; pt = "m" }
		else { if (pt == "t") out = out " "; else if (pt == "m") out = out "\n"; out = out l; pt = "t" }
	}
	if (n > 0 && BCHOMP != "-") out = out "\n"
	if (BCHOMP == "+") for (i = n + 1; i <= BN; i++) out = out "\n"
	setv(BPATH, out)
	INBLOCK = 0
}

function item(ind, text,   p, ip, rest, off) {
	p = LP[top]; ip = p "." N[p]; N[p]++
	rest = text; sub(/^-[ \t]*/, "", rest)
	off = ind + length(text) - length(rest)
	if (rest == "") { PEND = ip; PIND = ind; return }
	if (rest ~ /^-([ \t]|$)/) { push(off, ip, "s"); item(off, rest); return }
	if (iskey(rest)) { push(off, ip, "m"); mapentry(off, rest); return }
	scalar(ip, rest, ind)
}

function mapentry(ind, text,   kp) {
	if (!iskey(text)) { WARN = WARN "line " NR " not understood; "; return }
	kp = addkey(LP[top], KEY)
	if (REST == "") { PEND = kp; PIND = ind; return }
	scalar(kp, REST, ind)
}

function handle(ind, text,   isitem) {
	isitem = (text ~ /^-([ \t]|$)/)
	if (PEND != "") {
		if (ind > PIND || (ind == PIND && isitem)) push(ind, PEND, isitem ? "s" : "m")
		else setv(PEND, "")
		PEND = ""
	}
	if (top == 0) push(ind, "", isitem ? "s" : "m")
	while (top > 1 && LI[top] > ind) top--
	if (top > 1 && LI[top] == ind && LK[top] == "s" && !isitem) top--
	if (LI[top] != ind) { WARN = WARN "bad indentation at line " NR "; "; return }
	if (LK[top] == "s") {
		if (!isitem) { WARN = WARN "expected '- ' at line " NR "; "; return }
		item(ind, text)
	} else mapentry(ind, text)
}

BEGIN { top = 0; PEND = ""; INBLOCK = 0 }

{
	raw = $0; sub(/\r$/, "", raw)
	if (INBLOCK) {
		if (raw ~ /^[ \t]*$/) { BL[++BN] = ""; next }
		match(raw, /^ */); ind = RLENGTH
		if (BIND < 0 && ind > BPARENT) BIND = ind
		if (BIND >= 0 && ind >= BIND) { BL[++BN] = substr(raw, BIND + 1); next }
		endblock()
	}
	if (FLOWDOC) { FLOWTEXT = FLOWTEXT " " raw; next }
	line = stripc(raw)
	if (line ~ /^[ \t]*$/) next
	# a JSON (flow) document: collect everything and parse it at the end
	if (top == 0 && PEND == "" && line ~ /^[ \t]*[\[{]/) { FLOWDOC = 1; FLOWTEXT = raw; next }
	if (line ~ /^(---|\.\.\.)([ \t]|$)/) next
	if (line ~ /^%/) next
	match(line, /^ */); ind = RLENGTH
	text = trim(substr(line, ind + 1))
	handle(ind, text)
}

# ---- output ----------------------------------------------------------------

function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\n/, "\\n", s); gsub(/\t/, "\\t", s); return s }
function q(s) { gsub(/'/, "'\\''", s); return "'" s "'" }
function isnull(p) { return !(p in K) || (K[p] == "v" && (V[p] == "" || V[p] == "~" || V[p] == "null")) }
function truthy(v) { return v ~ /^([Tt]rue|TRUE|[Yy]es|YES|[Oo]n|1)$/ }

function dump(p,   i, k) {
	if (K[p] == "v") { print p "\t" esc(V[p]); return }
	if (K[p] == "s") { for (i = 0; i < N[p]; i++) dump(p "." i); return }
	if (K[p] == "m") for (i = 1; i <= MN[p]; i++) { k = MK[p, i]; dump(child(p, k)) }
}

# a runcmd/bootcmd entry: a string is a shell line, a list is an argv
function cmdline(p,   i, s) {
	if (K[p] == "s") { s = ""; for (i = 0; i < N[p]; i++) s = s (i ? " " : "") q(V[p "." i]); return s }
	if (K[p] == "v") return V[p]
	return ""
}

function cmdlist(key, f,   i) {
	if (K[key] == "s") for (i = 0; i < N[key]; i++) print cmdline(key "." i) > f
	else if (K[key] == "v" && V[key] != "") print V[key] > f
}

# scalar or list of scalars -> list in A[], returns count
function strlist(p,   i, n, t, parts) {
	delete A; n = 0
	if (K[p] == "s") { for (i = 0; i < N[p]; i++) if (K[p "." i] == "v") A[++n] = V[p "." i] }
	else if (K[p] == "v" && V[p] != "") { t = split(V[p], parts, ","); for (i = 1; i <= t; i++) if (trim(parts[i]) != "") A[++n] = trim(parts[i]) }
	return n
}

function keys_for(user, p, f,   i, n) {
	n = strlist(p)
	for (i = 1; i <= n; i++) print "tl_add_key " q(user) " " q(A[i]) > f
}

function one_user(p, f,   name, n, i, kp, g) {
	if (K[p] == "v") {
		if (V[p] == "default" || V[p] == "") return
		name = V[p]; print "tl_add_user " q(name) > f; return
	}
	if (K[p] != "m") return
	name = V[p ".name"]
	if (name == "") { print "tl_log 'cloud-init: users entry without name skipped'" > f; return }
	print "tl_add_user " q(name) " " q(V[p ".homedir"]) " " q(V[p ".shell"]) " " q(V[p ".gecos"]) " " q(V[p ".uid"]) > f
	keys_for(name, p ".ssh_authorized_keys", f)
	keys_for(name, p ".ssh-authorized-keys", f)
	n = strlist(p ".groups")
	for (i = 1; i <= n; i++) { g[i] = A[i] }
	for (i = 1; i <= n; i++) print "tl_add_group_member " q(g[i]) " " q(name) > f
	if (!isnull(p ".passwd")) print "tl_set_password " q(name) " " q(V[p ".passwd"]) " 1" > f
	if (!isnull(p ".plain_text_passwd")) print "tl_set_password " q(name) " " q(V[p ".plain_text_passwd"]) " 0" > f
}

function one_file(p, f,   path, perm, own, enc, app) {
	if (K[p] != "m") return
	path = V[p ".path"]
	if (path == "") { print "tl_log 'cloud-init: write_files entry without path skipped'" > f; return }
	perm = isnull(p ".permissions") ? "0644" : V[p ".permissions"]
	own = isnull(p ".owner") ? "root:root" : V[p ".owner"]
	enc = isnull(p ".encoding") ? "text/plain" : V[p ".encoding"]
	app = isnull(p ".append") ? "false" : V[p ".append"]
	print "printf '%s' " q(V[p ".content"]) " | tl_write_file " q(path) " " q(perm) " " q(own) " " q(enc) " " q(app) > f
}

function script(   fi, ff, i, k, n, host) {
	fi = out_init; ff = out_final
	print "# generated from user-data by cloudcfg.awk" > fi
	print ". /usr/lib/tinylinux/lib.sh" > fi
	if (WARN != "") print "tl_log " q("cloud-init: user-data: " WARN) > fi
	# unsupported keys are only reported
	for (i = 1; i <= MN[""]; i++) {
		k = MK["", i]
		if (k !~ /^(bootcmd|runcmd|write_files|hostname|fqdn|local-hostname|prefer_fqdn_over_hostname|users|ssh_authorized_keys|password|chpasswd|ssh_pwauth|preserve_hostname|manage_etc_hosts)$/)
			print "tl_log " q("cloud-init: key '" k "' is not supported, ignored") > fi
	}
	if (K["bootcmd"] != "") {
		print "cat > /run/cloud-init/bootcmd.sh <<'__TL_BOOTCMD__'" > fi
		cmdlist("bootcmd", fi)
		print "__TL_BOOTCMD__" > fi
		print "tl_log 'cloud-init: bootcmd'; (cd / && sh /run/cloud-init/bootcmd.sh) >> /var/log/cloud-init-output.log 2>&1" > fi
	}
	if (K["write_files"] == "s") for (i = 0; i < N["write_files"]; i++) one_file("write_files." i, fi)
	host = ""
	if (!isnull("fqdn")) { host = V["fqdn"]; sub(/\..*/, "", host) }
	if (!isnull("hostname")) host = V["hostname"]
	if (host != "" && !truthy(V["preserve_hostname"])) print "tl_set_hostname " q(host) > fi
	if (K["users"] == "s") for (i = 0; i < N["users"]; i++) one_user("users." i, fi)
	else if (K["users"] == "v") { n = strlist("users"); for (i = 1; i <= n; i++) if (A[i] != "default") print "tl_add_user " q(A[i]) > fi }
	keys_for("root", "ssh_authorized_keys", fi)
	if (!isnull("password")) print "tl_set_password root " q(V["password"]) " 0" > fi
	close(fi)
	if (K["runcmd"] != "") {
		print "# runcmd, generated from user-data by cloudcfg.awk" > ff
		cmdlist("runcmd", ff)
		close(ff)
	}
}

END {
	if (INBLOCK) endblock()
	if (FLOWDOC) { FS_ = FLOWTEXT; FP = 1; FL = length(FS_); fvalue("", 0) }
	if (PEND != "") setv(PEND, "")
	if (mode == "dump") dump("")
	else if (mode == "script") script()
	if (WARN != "") print "cloudcfg.awk: " WARN > "/dev/stderr"
}
