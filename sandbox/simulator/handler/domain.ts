// One VM's QEMU process (what libvirt's domain is in virt-launcher): started from a plan, controlled through QMP,
// observed through the guest agent. Its sockets live in .sandbox/vms/<vmi uid>/.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import { join } from 'node:path';
import { GuestAgent } from './agent.ts';
import { Qmp } from './qmp.ts';

export interface DomainNic {
  /** Logical interface name from the VMI spec. */
  name: string;
  mac: string;
  /** QEMU -netdev argument (without the id), e.g. `user` or `socket,mcast=230.0.0.1:5000`. */
  netdev: string;
  /** The netdev's id; the NIC device is `dev-<id>`. */
  id: string;
  /** A PCIe root port (`hp<n>`) for a NIC that can be unplugged later; none puts it on the root bus. */
  bus?: string;
}

export interface DomainDisk {
  name: string;
  file: string;
  format: 'raw' | 'qcow2';
  serial: string;
  readonly?: boolean;
  /** A hot-plugged volume carried over by a live migration: its root port and the ids it had on the source. */
  hotplug?: { bus: string; node: string };
  /** 'virtio' for a virtio-blk disk, 'cdrom' for a SATA CD-ROM (cloud-init). */
  bus: 'virtio' | 'cdrom';
}

export interface DomainPlan {
  vmiUid: string;
  namespace: string;
  name: string;
  memoryMiB: number;
  cpus: number;
  /** The guest to boot directly; without one, firmware looks for a bootable disk (and finds none). */
  kernel?: string;
  initrd?: string;
  nics: DomainNic[];
  disks: DomainDisk[];
  /** Start with the CPUs stopped (spec.startStrategy: Paused). */
  paused: boolean;
  /** Listen for an incoming live migration on this unix socket instead of booting. */
  incoming?: string;
  dirName?: string;
}

/** PCIe root ports for devices that can come and go while the guest runs: hot-plugged disks and secondary NICs. */
export const hotplugPorts = 8;

export type DomainExit = { code: number | null; signal: NodeJS.Signals | null; requested: boolean };

export class Domain {
  readonly dir: string;
  readonly sockets: { serial: string; vnc: string; qmp: string; qga: string; serialLog: string };
  readonly qmp: Qmp;
  readonly agent: GuestAgent;
  private proc?: ChildProcess;
  private stopRequested = false;
  private exitListeners: ((e: DomainExit) => void)[] = [];
  startedAt?: number;

  constructor(
    readonly plan: DomainPlan,
    vmsDir: string,
  ) {
    this.dir = join(vmsDir, plan.dirName ?? plan.vmiUid);
    this.sockets = {
      serial: join(this.dir, 'serial.sock'),
      vnc: join(this.dir, 'vnc.sock'),
      qmp: join(this.dir, 'qmp.sock'),
      qga: join(this.dir, 'qga.sock'),
      serialLog: join(this.dir, 'serial.log'),
    };
    this.qmp = new Qmp(this.sockets.qmp);
    this.agent = new GuestAgent(this.sockets.qga);
  }

  /** The last `bytes` of the guest's serial output (empty when there is none yet), for a log line. */
  serialTail(bytes: number): string {
    let fd: number | undefined;
    try {
      fd = openSync(this.sockets.serialLog, 'r');
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(bytes, size));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } catch {
      return '';
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  get pid() {
    return this.proc?.pid;
  }

  onExit(fn: (e: DomainExit) => void) {
    this.exitListeners.push(fn);
  }

  args(): string[] {
    const p = this.plan;
    const a = [
      '-name', `${p.namespace}_${p.name},debug-threads=off`,
      '-machine', 'q35,accel=tcg',
      '-cpu', 'max',
      '-smp', String(p.cpus),
      '-m', String(p.memoryMiB),
      '-nodefaults', '-no-user-config', '-display', 'none', '-vga', 'std',
      ...(p.kernel && p.initrd ? ['-kernel', p.kernel, '-initrd', p.initrd, '-append', 'console=tty0 console=ttyS0 quiet panic=-1'] : []),
      '-chardev', `socket,id=ser0,path=${this.sockets.serial},server=on,wait=off,logfile=${this.sockets.serialLog},logappend=on`,
      '-serial', 'chardev:ser0',
      '-vnc', `unix:${this.sockets.vnc}`,
      '-qmp', `unix:${this.sockets.qmp},server=on,wait=off`,
      '-device', 'virtio-serial-pci,id=vser0',
      '-chardev', `socket,id=qga0,path=${this.sockets.qga},server=on,wait=off`,
      '-device', 'virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0',
      '-device', 'virtio-rng-pci',
    ];
    // Free PCIe root ports: q35 hot-plugs devices only into those (volumes and interfaces added while running).
    for (let i = 0; i < hotplugPorts; i++) a.push('-device', `pcie-root-port,id=hp${i},bus=pcie.0,chassis=${10 + i}`);
    for (const n of p.nics) {
      a.push('-netdev', `${n.netdev},id=${n.id}`, '-device', `virtio-net-pci,netdev=${n.id},id=dev-${n.id},mac=${n.mac}${n.bus ? `,bus=${n.bus}` : ''}`);
    }
    p.disks.forEach((d, i) => {
      if (d.hotplug) {
        a.push('-blockdev', `driver=raw,node-name=${d.hotplug.node},file.driver=file,file.filename=${d.file}`,
          '-device', `virtio-blk-pci,drive=${d.hotplug.node},id=dev-${d.hotplug.node},serial=${d.serial},bus=${d.hotplug.bus}`);
      } else if (d.bus === 'cdrom') {
        a.push('-drive', `file=${d.file},format=${d.format},if=none,id=disk${i},media=cdrom,readonly=on`,
          '-device', `ide-cd,drive=disk${i},bus=ide.${i % 6}`);
      } else {
        a.push('-drive', `file=${d.file},format=${d.format},if=none,id=disk${i},cache=unsafe${d.readonly ? ',readonly=on' : ''}`,
          '-device', `virtio-blk-pci,drive=disk${i},serial=${d.serial}`);
      }
    });
    if (p.paused) a.push('-S');
    if (p.incoming) a.push('-incoming', `unix:${p.incoming}`);
    return a;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    for (const s of [this.sockets.serial, this.sockets.vnc, this.sockets.qmp, this.sockets.qga]) rmSync(s, { force: true });
    const proc = spawn('qemu-system-x86_64', this.args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    proc.on('exit', (code, signal) => {
      // An exit nobody asked for is a fault to find later: what QEMU said last goes to the log.
      if (!this.stopRequested) console.log(JSON.stringify({ time: new Date().toISOString(), msg: 'qemu exited', namespace: this.plan.namespace, vm: this.plan.name, code, signal, stderr: stderr.trim().slice(-1000) }));
      this.qmp.close();
      this.agent.close();
      for (const l of this.exitListeners) l({ code, signal, requested: this.stopRequested });
    });
    try {
      // QEMU creates its sockets before it starts the guest: wait for QMP to answer. It binds its socket, then
      // listens on it: for a moment the file exists and a connection is refused (measured here under load: 1 connect
      // in 100 made as soon as the file appeared). A failed attempt is made again until QEMU exits or time is up.
      const deadline = Date.now() + 30_000;
      let lastError: unknown;
      for (;;) {
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`qemu exited: ${stderr.trim()}`);
        if (Date.now() > deadline) throw new Error(`qemu did not open its QMP socket${lastError ? `: ${String(lastError)}` : ''}`);
        if (existsSync(this.sockets.qmp)) {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('qemu did not answer on its QMP socket')), Math.max(0, deadline - Date.now()));
          });
          const connected = await Promise.race([this.qmp.connect(), late])
            .then(() => true, (e: unknown) => ((lastError = e), false))
            .finally(() => clearTimeout(timer));
          if (connected) break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    } catch (e) {
      // A domain that failed to start must not linger as a stray QEMU.
      this.stopRequested = true;
      proc.kill('SIGKILL');
      throw e;
    }
    this.startedAt = Date.now();
  }

  /** ACPI power button, then a hard kill after the grace period (what virt-launcher does on a graceful stop). */
  async shutdown(graceSeconds: number): Promise<void> {
    this.stopRequested = true;
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    if (graceSeconds > 0) {
      // A guest that is still booting misses a single ACPI event: press the button again every few seconds.
      const press = () => void this.qmp.execute('system_powerdown').catch(() => {});
      press();
      const again = setInterval(press, 3000);
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceSeconds * 1000));
      const outcome = await Promise.race([exited, timer]);
      clearInterval(again);
      if (outcome !== 'timeout') return;
    }
    proc.kill('SIGKILL');
    await exited;
  }

  /** Ends QEMU at once, as requested (a migration source after hand-off, an abandoned migration target). */
  async quit(): Promise<void> {
    this.stopRequested = true;
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    await this.qmp.execute('quit', undefined, 2000).catch(() => proc.kill('SIGKILL'));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills QEMU without a request: from the API's point of view, the guest crashed. */
  crash() {
    this.proc?.kill('SIGKILL');
  }

  get running() {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Host ports that reach the guest's ports over the pod network (QEMU user networking's host forwards). */
  private readonly forwards = new Map<string, Promise<number>>();

  /**
   * A loopback port on this host that QEMU forwards to `guestPort` of the guest's pod-network address: what
   * KubeVirt's port-forward reaches as the VMI's IP. Added once per protocol and port while the domain runs.
   */
  forward(protocol: 'tcp' | 'udp', guestPort: number): Promise<number> {
    const nic = this.plan.nics.find((n) => n.netdev.startsWith('user'));
    if (!nic) return Promise.reject(new Error('the domain has no pod network interface'));
    const key = `${protocol}/${guestPort}`;
    let port = this.forwards.get(key);
    if (!port) {
      port = this.addForward(nic.id, protocol, guestPort);
      this.forwards.set(key, port);
      port.catch(() => this.forwards.delete(key));
    }
    return port;
  }

  private async addForward(netdev: string, protocol: 'tcp' | 'udp', guestPort: number): Promise<number> {
    // QEMU takes no "any free port" here: pick one the kernel just handed out, and try another if it is taken.
    let last = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const hostPort = await freeLoopbackPort(protocol);
      const out = await this.qmp.execute('human-monitor-command', {
        'command-line': `hostfwd_add ${netdev} ${protocol}:127.0.0.1:${hostPort}-:${guestPort}`,
      });
      last = typeof out === 'string' ? out.trim() : '';
      if (!last) return hostPort;
    }
    throw new Error(`hostfwd_add: ${last}`);
  }

  connectSerial(): Promise<net.Socket> {
    return connectUnix(this.sockets.serial);
  }

  connectVnc(): Promise<net.Socket> {
    return connectUnix(this.sockets.vnc);
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freeLoopbackPort(protocol: 'tcp' | 'udp'): Promise<number> {
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const sock = dgram.createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => {
        const { port } = sock.address();
        sock.close(() => resolve(port));
      });
      return;
    }
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function connectUnix(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(path, () => resolve(s));
    s.once('error', reject);
  });
}
