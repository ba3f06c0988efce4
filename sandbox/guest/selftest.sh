#!/usr/bin/env bash
# Boot the Tiny Linux guest images under QEMU (TCG) and check them for real.
#
#   sandbox/guest/selftest.sh [GUEST_DIR]     (default: <repo>/.sandbox-cache/guest)
#
# Assumes sandbox/guest/build.sh has run. Three boots:
#   1. tinylinux      ISO cidata (serial "cidata"), blank qcow2 data disk, NIC, agent;
#                     ends with QMP system_powerdown
#   2. tinylinux-edge vfat cidata found by its label CIDATA, the data disk from boot 1
#                     (must be mounted, not reformatted), NIC, agent; ends with
#                     "reboot" typed on the serial console (-no-reboot => QEMU exits)
#   3. tinylinux      no cidata, no NIC, no data disk; ends with guest-shutdown
# Prints boot-to-shell times and QEMU RSS; exits non-zero if a check fails.
# SELFTEST_KEEP=1 keeps the work directory; SELFTEST_BOOT_LIMIT (s, default 20)
# is the limit for the banner to appear.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GUEST=${1:-$ROOT/.sandbox-cache/guest}
GUEST=$(cd "$GUEST" && pwd)
for f in vmlinuz initrd-tinylinux.img initrd-tinylinux-edge.img manifest.json; do
	[ -s "$GUEST/$f" ] || { echo "selftest: $GUEST/$f missing: run sandbox/guest/build.sh first" >&2; exit 1; }
done
for c in qemu-system-x86_64 qemu-img python3; do
	command -v "$c" > /dev/null || { echo "selftest: $c not found" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/tinylinux-selftest.XXXXXX)
[ "${SELFTEST_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# seeds
mkdir -p "$WORK/seed1" "$WORK/seed2"
cat > "$WORK/seed1/meta-data" << 'EOF'
instance-id: iid-selftest-1
local-hostname: from-meta-data
EOF
cat > "$WORK/seed1/user-data" << 'EOF'
#cloud-config
hostname: selftest-vm
users:
  - default
  - name: alice
    gecos: Alice Example
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISelftestKey alice@selftest
write_files:
  - path: /etc/selftest/greeting
    permissions: '0600'
    content: |
      hello from write_files
runcmd:
  - echo runcmd-ok > /root/runcmd.txt
  - [ sh, -c, "cat /etc/selftest/greeting > /mnt/data1/persist.txt" ]
EOF
cat > "$WORK/seed2/meta-data" << 'EOF'
instance-id: iid-selftest-2
local-hostname: edge-vm
EOF
cat > "$WORK/seed2/user-data" << 'EOF'
#!/bin/sh
echo "script-ok $(hostname)" > /root/runcmd.txt
EOF
"$HERE/make-cidata.sh" "$WORK/seed1" "$WORK/cidata1.iso"
"$HERE/make-cidata.sh" --vfat "$WORK/seed2" "$WORK/cidata2.img"
qemu-img create -q -f qcow2 "$WORK/data.qcow2" 1G

rc=0
python3 - "$GUEST" "$WORK" "${SELFTEST_BOOT_LIMIT:-20}" << 'PYEOF' || rc=$?
import json, os, socket, struct, subprocess, sys, time, zlib

GUEST, WORK, BOOT_LIMIT = sys.argv[1], sys.argv[2], float(sys.argv[3])
MANIFEST = json.load(open(os.path.join(GUEST, "manifest.json")))
KREL = MANIFEST["kernel"]["release"]
failures = []
results = []

def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok

def qemu_cmd(d, initrd, nic=True, cidata=None, cidata_serial=True, data=None):
    cmd = ["qemu-system-x86_64", "-machine", "q35,accel=tcg", "-cpu", "max", "-m", "256",
           "-nodefaults", "-no-reboot", "-display", "none", "-vga", "std",
           "-kernel", os.path.join(GUEST, "vmlinuz"), "-initrd", os.path.join(GUEST, initrd),
           "-append", "console=tty0 console=ttyS0",
           "-serial", "unix:%s/serial.sock,server,nowait" % d,
           "-vnc", "unix:%s/vnc.sock" % d,
           "-qmp", "unix:%s/qmp.sock,server,nowait" % d,
           "-device", "virtio-serial",
           "-chardev", "socket,path=%s/qga.sock,server=on,wait=off,id=qga0" % d,
           "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0"]
    if nic:
        cmd += ["-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"]
    if cidata:
        cmd += ["-drive", "file=%s,format=raw,if=none,id=cidata,readonly=on" % cidata,
                "-device", "virtio-blk-pci,drive=cidata" + (",serial=cidata" if cidata_serial else "")]
    if data:
        cmd += ["-drive", "file=%s,format=qcow2,if=none,id=data1" % data,
                "-device", "virtio-blk-pci,drive=data1,serial=data1"]
    return cmd

def connect(path, timeout=10):
    end = time.time() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > end:
                raise
            time.sleep(0.02)

class Serial:
    def __init__(self, path):
        self.s = connect(path)
        self.s.settimeout(0.2)
        self.buf = b""
    def pump(self):
        try:
            d = self.s.recv(65536)
            if d:
                self.buf += d
        except socket.timeout:
            pass
    def wait_for(self, pred, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if pred(self.buf):
                return True
            self.pump()
        return pred(self.buf)
    def run(self, cmd, expect, timeout=15):
        """send a command line; wait for an output line equal to `expect`"""
        start = len(self.buf)
        self.s.sendall(cmd.encode() + b"\n")
        def seen(b):
            lines = [l.strip(b"\r").strip() for l in b[start:].split(b"\n")]
            return expect.encode() in lines
        return self.wait_for(seen, timeout)
    def text(self):
        return self.buf.decode("utf-8", "replace")

class Agent:
    def __init__(self, path):
        self.s = connect(path)
        self.s.settimeout(10)
        self.f = self.s.makefile("rb")
    def raw(self, line):
        self.s.sendall(line + b"\n")
        return self.f.readline()
    def cmd(self, execute, **args):
        req = {"execute": execute}
        if args:
            req["arguments"] = args
        return json.loads(self.raw(json.dumps(req).encode()))
    def sync(self):
        # like libvirt: 0xFF to flush, then guest-sync-delimited; skip to the sentinel
        self.s.sendall(b"\xff")
        rid = int(time.time()) % 100000
        self.s.sendall(json.dumps({"execute": "guest-sync-delimited", "arguments": {"id": rid}}).encode() + b"\n")
        data = b""
        while b"\xff" not in data:
            data += self.s.recv(1)
        line = self.f.readline()
        return json.loads(line).get("return") == rid

class QMP:
    def __init__(self, path):
        self.s = connect(path)
        self.f = self.s.makefile("rwb")
        self.events = []
        json.loads(self.f.readline())
        self.cmd("qmp_capabilities")
    def cmd(self, execute, **args):
        req = {"execute": execute}
        if args:
            req["arguments"] = args
        self.f.write(json.dumps(req).encode() + b"\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" in r:
                self.events.append(r["event"])
                continue
            return r

def png_stats(path):
    """decode an 8-bit RGB/RGBA PNG; return (width, height, fraction of lit pixels, lit rows)"""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif typ == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6):
        return (w, h, None, None)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    lit, lit_rows, i = 0, 0, 0
    for y in range(h):
        ft = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1: line[x] = (line[x] + a) & 255
            elif ft == 2: line[x] = (line[x] + b) & 255
            elif ft == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        row = sum(1 for x in range(0, stride, bpp) if line[x] + line[x + 1] + line[x + 2] > 200)
        lit += row
        lit_rows += 1 if row else 0
        prev = line
    return (w, h, lit / float(w * h), lit_rows)

def rss_kb(pid):
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
    return 0

PRETTY = {i["initrd"]: i["prettyName"] for i in MANIFEST["images"]}

def boot(name, initrd, expect_name, hostname, end, **kw):
    print("== boot %s: %s (hostname %s)" % (name, initrd, hostname), flush=True)
    d = os.path.join(WORK, name)
    os.makedirs(d)
    cmd = qemu_cmd(d, initrd, **kw)
    with open(os.path.join(d, "qemu.cmd"), "w") as fh:
        fh.write(" ".join(cmd) + "\n")
    log = open(os.path.join(d, "qemu.log"), "wb")
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    res = {"boot": name, "initrd": initrd}
    try:
        ser = Serial(os.path.join(d, "serial.sock"))
        banner = ("%s %s ttyS0" % (PRETTY[initrd], hostname)).encode()
        got = ser.wait_for(lambda b: banner in b, BOOT_LIMIT)
        t_banner = time.time() - t0
        check(got, "banner '%s' on the serial console (%.1f s)" % (banner.decode(), t_banner))
        prompt = ("root@%s:" % hostname).encode()
        got = ser.wait_for(lambda b: banner in b and prompt in b.split(banner)[-1], 10)
        t_shell = time.time() - t0
        check(got, "root prompt with the hostname ('%s~# ') (%.1f s)" % (prompt.decode(), t_shell))
        res["banner_s"] = round(t_banner, 2)
        res["shell_s"] = round(t_shell, 2)
        check(ser.run("echo hello", "hello"), "serial shell answers 'echo hello' with 'hello'")
        check(ser.run("while [ ! -e /run/tinylinux/boot-finished ]; do sleep 0.2; done; echo late-stage-""done",
                      "late-stage-done", 30), "late boot stage finished")
        res["ready_s"] = round(time.time() - t0, 2)

        agent = Agent(os.path.join(d, "qga.sock"))
        check(agent.sync(), "agent: guest-sync-delimited echoes the id after 0xFF")
        check(agent.cmd("guest-sync", id=4242) == {"return": 4242}, "agent: guest-sync")
        check(agent.cmd("guest-ping") == {"return": {}}, "agent: guest-ping")
        info = agent.cmd("guest-info").get("return", {})
        names = {c["name"] for c in info.get("supported_commands", [])}
        need = {"guest-ping", "guest-get-osinfo", "guest-get-host-name", "guest-get-users",
                "guest-get-fsinfo", "guest-network-get-interfaces", "guest-shutdown", "guest-get-timezone"}
        check(info.get("version") and need <= names, "agent: guest-info (version %s, %d commands)" % (info.get("version"), len(names)))
        osi = agent.cmd("guest-get-osinfo").get("return", {})
        check(osi.get("name") == expect_name and osi.get("kernel-release") == KREL and osi.get("machine") == "x86_64"
              and osi.get("id") and osi.get("version-id") and osi.get("pretty-name") and osi.get("kernel-version"),
              "agent: guest-get-osinfo %s" % json.dumps(osi))
        hn = agent.cmd("guest-get-host-name").get("return", {})
        check(hn.get("host-name") == hostname, "agent: guest-get-host-name = %s" % hn.get("host-name"))
        users = agent.cmd("guest-get-users").get("return", [])
        root = [u for u in users if u.get("user") == "root"]
        check(len(root) == 1 and isinstance(root[0].get("login-time"), float)
              and abs(root[0]["login-time"] - time.time()) < 600,
              "agent: guest-get-users %s" % json.dumps(users))
        tz = agent.cmd("guest-get-timezone").get("return", {})
        check(tz.get("zone") == "UTC" and tz.get("offset") == 0, "agent: guest-get-timezone %s" % json.dumps(tz))
        fs = agent.cmd("guest-get-fsinfo").get("return")
        check(isinstance(fs, list) and any(f.get("mountpoint") == "/" for f in fs), "agent: guest-get-fsinfo lists /")
        if kw.get("data"):
            m = [f for f in fs if f.get("mountpoint") == "/mnt/data1"]
            check(len(m) == 1 and m[0]["type"] == "ext4" and m[0]["total-bytes"] > 900 * 2**20
                  and m[0]["used-bytes"] >= 0 and m[0]["disk"][0].get("serial") == "data1"
                  and m[0]["disk"][0].get("bus-type") == "virtio",
                  "agent: guest-get-fsinfo has the data disk %s" % json.dumps(m))
        nics = agent.cmd("guest-network-get-interfaces").get("return", [])
        lo = [n for n in nics if n.get("name") == "lo"]
        check(lo and any(a["ip-address"] == "127.0.0.1" and a["prefix"] == 8 for a in lo[0]["ip-addresses"]),
              "agent: guest-network-get-interfaces has lo 127.0.0.1/8")
        if kw.get("nic", True):
            eth = [n for n in nics if n.get("name") == "eth0"]
            check(eth and eth[0]["hardware-address"] == "52:54:00:12:34:56"
                  and any(a["ip-address"] == "10.0.2.15" and a["prefix"] == 24 for a in eth[0]["ip-addresses"]),
                  "agent: eth0 has the DHCP address 10.0.2.15/24")
        r = json.loads(agent.raw(b"this is { not json"))
        check(r.get("error", {}).get("class") == "CommandNotFound", "agent: garbage -> CommandNotFound error")
        r = agent.cmd("guest-no-such-command")
        check(r.get("error", {}).get("class") == "CommandNotFound", "agent: unknown command -> CommandNotFound")
        check(agent.cmd("guest-ping") == {"return": {}}, "agent: still answers after bad input")

        qmp = QMP(os.path.join(d, "qmp.sock"))
        png = os.path.join(d, "screen.png")
        r = qmp.cmd("screendump", filename=png, format="png")
        st = png_stats(png) if "return" in r and os.path.exists(png) else None
        check(st is not None and st[0] == 720 and st[1] == 400 and st[2] and 0.002 < st[2] < 0.5 and st[3] > 20,
              "QMP screendump png (size %s, lit pixels %s)" % (st and "%dx%d" % st[:2], st and st[2:]))
        v = connect(os.path.join(d, "vnc.sock"))
        v.settimeout(5)
        check(v.recv(12) == b"RFB 003.008\n", "VNC socket greets with RFB 003.008")
        v.close()
        res["rss_mb"] = round(rss_kb(proc.pid) / 1024.0, 1)
        print("  info  QEMU RSS %.1f MB" % res["rss_mb"], flush=True)

        if name == "1-tinylinux":
            check(ser.run("cat /root/runcmd.txt", "runcmd-ok"), "cloud-init runcmd ran (string item)")
            check(ser.run("cat /mnt/data1/persist.txt", "hello from write_files"),
                  "write_files + runcmd list item wrote to the data disk")
            check(ser.run("cat /home/alice/.ssh/authorized_keys",
                          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISelftestKey alice@selftest"), "users: alice's authorized_keys")
            check(ser.run("grep -c '^alice:' /etc/passwd", "1"), "users: alice in /etc/passwd")
            check(ser.run("stat -c %a /etc/selftest/greeting", "600"), "write_files permissions")
            check(ser.run("cat /run/cloud-init/instance-id", "iid-selftest-1"), "meta-data instance-id read")
        if name == "2-edge":
            check(ser.run("cat /root/runcmd.txt", "script-ok edge-vm"), "'#!' user-data script ran")
            check(ser.run("cat /mnt/data1/persist.txt", "hello from write_files"),
                  "existing filesystem on the data disk mounted, not reformatted")
        if name == "3-bare":
            check(ser.run("ls /run/cloud-init/seed-device 2>/dev/null || echo no-seed", "no-seed"), "no seed tolerated")

        t_end = time.time()
        if end == "powerdown":
            check("return" in qmp.cmd("system_powerdown"), "QMP system_powerdown accepted")
        elif end == "reboot":
            ser.s.sendall(b"reboot\n")
        elif end == "agent":
            agent.s.sendall(b'{"execute": "guest-shutdown"}\n')
        try:
            rc = proc.wait(timeout=30)
            check(rc == 0, "QEMU exited (rc %d) %.1f s after '%s'" % (rc, time.time() - t_end, end))
        except subprocess.TimeoutExpired:
            check(False, "QEMU did not exit within 30 s after '%s'" % end)
        with open(os.path.join(d, "serial.log"), "wb") as fh:
            fh.write(ser.buf)
    except Exception as e:  # noqa
        check(False, "%s: unexpected %s: %s" % (name, type(e).__name__, e))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    results.append(res)

boot("1-tinylinux", "initrd-tinylinux.img", "Tiny Linux", "selftest-vm", "powerdown",
     cidata=os.path.join(WORK, "cidata1.iso"), data=os.path.join(WORK, "data.qcow2"))
boot("2-edge", "initrd-tinylinux-edge.img", "Tiny Linux Edge", "edge-vm", "reboot",
     cidata=os.path.join(WORK, "cidata2.img"), cidata_serial=False, data=os.path.join(WORK, "data.qcow2"))
boot("3-bare", "initrd-tinylinux.img", "Tiny Linux", "tinylinux", "agent", nic=False)

print("== results")
for r in results:
    print("  " + json.dumps(r))
if failures:
    print("selftest: %d check(s) FAILED (logs kept in %s)" % (len(failures), WORK))
    sys.exit(1)
print("selftest: all checks passed")
PYEOF
if [ "$rc" != 0 ]; then
	trap - EXIT
	exit "$rc"
fi
