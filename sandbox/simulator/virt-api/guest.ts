// The guest-agent GETs (guestosinfo, userlist, filesystemlist) and vnc/screenshot.
//
// In KubeVirt, virt-launcher polls the QEMU guest agent (through libvirt for OS info, host name, time zone and
// users; directly for guest-info, guest-get-fsinfo and guest-fsfreeze-status) and virt-api returns the cached
// data through virt-handler. Here the agent is asked on the spot; a command that fails counts as "no data yet",
// which is what KubeVirt's cache shows for it. Errors of these GETs are go-restful WriteError(500, err): plain text.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Deps, type DomainLike, fetchVMI, handlerConnectionError, noCommandSocket } from './context.ts';
import { hasCondition } from '../kubevirt/conditions.ts';
import { isRunning } from '../kubevirt/phase.ts';
import type { VMI } from '../kubevirt/types.ts';
import { type Reply, replyOf } from './reply.ts';
import { StatusError, badRequest, conflict, internalError, vmiResource } from './status.ts';

// ---------------------------------------------------------------------------------------------------------------
// QEMU guest agent replies (the fields KubeVirt reads)

export interface QgaInfo {
  version?: string;
  supported_commands?: { name: string; enabled?: boolean; 'success-response'?: boolean }[];
}
export interface QgaOsInfo {
  name?: string;
  id?: string;
  version?: string;
  'version-id'?: string;
  'pretty-name'?: string;
  'kernel-release'?: string;
  'kernel-version'?: string;
  machine?: string;
  variant?: string;
  'variant-id'?: string;
}
export interface QgaUser {
  user: string;
  domain?: string;
  /** Seconds since the epoch (a float). */
  'login-time': number;
}
export interface QgaFsDisk {
  'bus-type': string;
  serial?: string;
  dev?: string;
  [key: string]: unknown;
}
export interface QgaFs {
  name: string;
  mountpoint: string;
  type: string;
  'used-bytes'?: number;
  'total-bytes'?: number;
  disk?: QgaFsDisk[];
}
export interface QgaTimezone {
  zone?: string;
  /** Seconds east of UTC. */
  offset: number;
}

// ---------------------------------------------------------------------------------------------------------------
// KubeVirt shapes (field order and omitempty as in the Go types)

export interface GuestOSUser {
  userName: string;
  domain?: string;
  loginTime?: number;
}
export interface FileSystemDisk {
  serial?: string;
  busType: string;
}
export interface FileSystem {
  diskName: string;
  mountPoint: string;
  fileSystemType: string;
  usedBytes: number;
  totalBytes: number;
  disk?: FileSystemDisk[];
}
export interface GuestOSInfo {
  name?: string;
  kernelRelease?: string;
  version?: string;
  prettyName?: string;
  versionId?: string;
  kernelVersion?: string;
  machine?: string;
  id?: string;
}
export interface GuestAgentInfo {
  guestAgentVersion?: string;
  supportedCommands?: { name: string; enabled?: boolean }[];
  hostname?: string;
  os: GuestOSInfo;
  timezone?: string;
  userList?: GuestOSUser[];
  fsInfo: { disks: FileSystem[] | null };
  fsFreezeStatus?: string;
}

/** Drops the keys whose value is Go's zero value, as `omitempty` does (for the listed keys only). */
function omitEmpty<T extends object>(o: T, keys: (keyof T)[]): T {
  const out = { ...o };
  for (const k of keys) {
    const v = out[k];
    if (v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0)) delete out[k];
  }
  return out;
}

/**
 * libvirt reports a user's login time in milliseconds since the epoch (it multiplies the agent's float seconds by
 * 1000 into an unsigned integer), and KubeVirt passes that number on as loginTime.
 */
export const loginTimeOf = (qgaLoginTime: number) => Math.trunc(qgaLoginTime * 1000);

export function toGuestOSUser(u: QgaUser): GuestOSUser {
  return omitEmpty({ userName: u.user ?? '', domain: u.domain ?? '', loginTime: loginTimeOf(u['login-time'] ?? 0) }, ['domain', 'loginTime']);
}

export function toFileSystem(fs: QgaFs): FileSystem {
  const disk = (fs.disk ?? []).map((d) => omitEmpty({ serial: d.serial ?? '', busType: d['bus-type'] ?? '' }, ['serial']));
  return omitEmpty(
    {
      diskName: fs.name ?? '',
      mountPoint: fs.mountpoint ?? '',
      fileSystemType: fs.type ?? '',
      usedBytes: fs['used-bytes'] ?? 0,
      totalBytes: fs['total-bytes'] ?? 0,
      disk,
    },
    ['disk'],
  );
}

export function toGuestOSInfo(os: QgaOsInfo | undefined): GuestOSInfo {
  const o = os ?? {};
  return omitEmpty(
    {
      name: o.name ?? '',
      kernelRelease: o['kernel-release'] ?? '',
      version: o.version ?? '',
      prettyName: o['pretty-name'] ?? '',
      versionId: o['version-id'] ?? '',
      kernelVersion: o['kernel-version'] ?? '',
      machine: o.machine ?? '',
      id: o.id ?? '',
    },
    ['name', 'kernelRelease', 'version', 'prettyName', 'versionId', 'kernelVersion', 'machine', 'id'],
  );
}

/** `fmt.Sprintf("%s, %d", zone, offset)`: "UTC, 0"; ", 0" when the agent gave nothing. */
export const timezoneOf = (tz: QgaTimezone | undefined) => `${tz?.zone ?? ''}, ${Math.trunc(tz?.offset ?? 0)}`;

export interface AgentData {
  info?: QgaInfo;
  hostname?: string;
  os?: QgaOsInfo;
  timezone?: QgaTimezone;
  users?: QgaUser[];
  filesystems?: QgaFs[];
  fsFreezeStatus?: string;
}

/** GetGuestInfo: everything at once, with at most 10 users and 10 file systems. */
export function toGuestAgentInfo(d: AgentData): GuestAgentInfo {
  const users = (d.users ?? []).slice(0, 10).map(toGuestOSUser);
  const fs = (d.filesystems ?? []).slice(0, 10).map(toFileSystem);
  const supported = (d.info?.supported_commands ?? []).map((c) => omitEmpty({ name: c.name, enabled: c.enabled === true }, ['enabled']));
  return omitEmpty(
    {
      guestAgentVersion: d.info?.version ?? '',
      supportedCommands: supported,
      hostname: d.hostname ?? '',
      os: toGuestOSInfo(d.os),
      timezone: timezoneOf(d.timezone),
      userList: users,
      fsInfo: { disks: fs.length > 0 ? fs : null },
      fsFreezeStatus: d.fsFreezeStatus ?? '',
    },
    ['guestAgentVersion', 'supportedCommands', 'hostname', 'timezone', 'userList', 'fsFreezeStatus'],
  );
}

export const toUserList = (users: QgaUser[] | undefined) => ({ metadata: {}, items: (users ?? []).map(toGuestOSUser) });
export const toFileSystemList = (fs: QgaFs[] | undefined) => ({ metadata: {}, items: (fs ?? []).map(toFileSystem) });

// ---------------------------------------------------------------------------------------------------------------
// Handlers

const agentTimeoutMs = 2000;

async function ask<T>(domain: DomainLike, command: string): Promise<T | undefined> {
  try {
    return (await domain.agent.call(command, undefined, agentTimeoutMs)) as T;
  } catch {
    return undefined;
  }
}

/** The validation the three guest-agent GETs share: Running, and the AgentConnected condition present. */
export function validateGuestAgent(vmi: VMI): string | undefined {
  if (!isRunning(vmi)) return conflict(vmiResource, vmi.metadata.name, 'VMI is not running').message;
  if (!hasCondition(vmi, 'AgentConnected')) return conflict(vmiResource, vmi.metadata.name, 'VMI does not have guest agent connected').message;
  return undefined;
}

const plain500 = (text: string): Reply => ({ type: 'plain', code: 500, text });

/** httpGetRequestHandler: every failure, the missing VMI included, is a plain-text 500. */
async function guestGet(deps: Deps, ns: string, name: string, get: (d: DomainLike) => Promise<unknown>): Promise<Reply> {
  let vmi: VMI;
  try {
    vmi = await fetchVMI(deps.kube, ns, name);
  } catch (e) {
    if (e instanceof StatusError) return plain500(e.status.message);
    throw e;
  }
  const invalid = validateGuestAgent(vmi) ?? handlerConnectionError(vmi);
  if (invalid) return plain500(invalid);
  const domain = deps.domains(ns, name);
  if (!domain) return plain500(noCommandSocket(vmi));
  return { type: 'json', code: 200, body: await get(domain) };
}

export function guestOSInfo(deps: Deps, ns: string, name: string): Promise<Reply> {
  return guestGet(deps, ns, name, async (d) => {
    const info = await ask<QgaInfo>(d, 'guest-info');
    if (!info) return toGuestAgentInfo({});
    const hostname = (await ask<{ 'host-name'?: string }>(d, 'guest-get-host-name'))?.['host-name'];
    const os = await ask<QgaOsInfo>(d, 'guest-get-osinfo');
    const timezone = await ask<QgaTimezone>(d, 'guest-get-timezone');
    const users = await ask<QgaUser[]>(d, 'guest-get-users');
    const filesystems = await ask<QgaFs[]>(d, 'guest-get-fsinfo');
    const fsFreezeStatus = await ask<string>(d, 'guest-fsfreeze-status');
    return toGuestAgentInfo({ info, hostname, os, timezone, users, filesystems, fsFreezeStatus });
  });
}

export function userList(deps: Deps, ns: string, name: string): Promise<Reply> {
  return guestGet(deps, ns, name, async (d) => toUserList(await ask<QgaUser[]>(d, 'guest-get-users')));
}

export function filesystemList(deps: Deps, ns: string, name: string): Promise<Reply> {
  return guestGet(deps, ns, name, async (d) => toFileSystemList(await ask<QgaFs[]>(d, 'guest-get-fsinfo')));
}

/** validateVMIForVNC, shared with the vnc websocket. */
export function validateVnc(vmi: VMI) {
  if (vmi.spec?.domain?.devices?.autoattachGraphicsDevice === false) return badRequest('No graphics devices are present.');
  if (!isRunning(vmi)) return badRequest('VMI is not running');
  return undefined;
}

/** virt-handler's refusal text when preserveSession=true finds a VNC stream open (pkg/virt-handler/rest/console.go, VNCHandler). */
export const activeVncMessage = 'Active VNC connection. Request denied.';

/**
 * That refusal as virt-api answers it, shared with the vnc websocket: virt-handler's WriteError(503) is a text/plain
 * body, which handlerDial.Dial reads with kvcorev1.EnrichError ("Can't connect to websocket (503): websocket: bad
 * handshake: application info: <body>", 1.6.4+) and wraps in errors.NewInternalError: a 500 Status, before any upgrade.
 */
export const vncInUseStatus = () => internalError(`Can't connect to websocket (503): websocket: bad handshake: application info: ${activeVncMessage}`);

export const screenshotTimeoutMs = 2000;

/**
 * vnc/screenshot: virt-api reads one framebuffer update over VNC and encodes it as PNG; here QEMU writes the PNG
 * itself (QMP screendump). `moveCursor=true` first nudges the pointer to wake the screen, as virt-api does.
 * virt-api dials that VNC stream with preserveSession=true (1.6.3+), so while a viewer is connected (`vncInUse`)
 * the screenshot is refused with virt-handler's "Active VNC connection. Request denied." (a 500 Status).
 */
export function vncScreenshot(deps: Deps, ns: string, name: string, moveCursor: boolean, vncInUse?: (vmi: VMI) => boolean): Promise<Reply> {
  return replyOf(() => screenshot(deps, ns, name, moveCursor, vncInUse));
}

async function screenshot(deps: Deps, ns: string, name: string, moveCursor: boolean, inUse?: (vmi: VMI) => boolean): Promise<Reply> {
  const vmi = await fetchVMI(deps.kube, ns, name);
  const invalid = validateVnc(vmi);
  if (invalid) return { type: 'status', status: invalid };
  const domain = deps.domains(ns, name);
  if (!domain) return { type: 'status', status: internalError('dialing virt-handler: websocket: bad handshake') };
  if (inUse?.(vmi)) return { type: 'status', status: vncInUseStatus() };
  const file = join(domain.dir, `screenshot-${randomBytes(6).toString('hex')}.png`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), screenshotTimeoutMs);
  });
  const shot = (async () => {
    if (moveCursor) {
      const move = (x: number, y: number) => [
        { type: 'abs', data: { axis: 'x', value: x } },
        { type: 'abs', data: { axis: 'y', value: y } },
      ];
      await domain.qmp.execute('input-send-event', { events: move(0, 0) }).catch(() => undefined);
      await domain.qmp.execute('input-send-event', { events: move(1, 1) }).catch(() => undefined);
    }
    await domain.qmp.execute('screendump', { filename: file, format: 'png' });
    return readFile(file);
  })();
  try {
    const result = await Promise.race([shot, timeout]);
    if (result === 'timeout') {
      shot.catch(() => undefined).finally(() => void rm(file, { force: true }));
      return { type: 'status', status: internalError('timed out waiting for VNC server messages') };
    }
    return { type: 'binary', code: 200, contentType: 'image/png', body: result };
  } catch (e) {
    return { type: 'status', status: internalError(`failed to retrieve the VNC screen: ${e instanceof Error ? e.message : String(e)}`) };
  } finally {
    clearTimeout(timer);
    // Awaited, so that no screenshot outlives its answer in the domain's folder.
    await rm(file, { force: true }).catch(() => undefined);
  }
}
