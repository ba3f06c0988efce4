import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deps, DomainLike } from './context.ts';
import { FakeKube } from './fake-kube.test-helper.ts';
import {
  filesystemList,
  guestOSInfo,
  timezoneOf,
  toFileSystem,
  toGuestAgentInfo,
  toGuestOSInfo,
  toGuestOSUser,
  toUserList,
  userList,
  vncScreenshot,
} from './guest.ts';
import type { VMI } from '../kubevirt/types.ts';

const osinfo = {
  name: 'Fedora Linux',
  id: 'fedora',
  version: '39 (Cloud Edition)',
  'version-id': '39',
  'pretty-name': 'Fedora Linux 39 (Cloud Edition)',
  'kernel-release': '6.5.6-300.fc39.x86_64',
  'kernel-version': '#1 SMP PREEMPT_DYNAMIC',
  machine: 'x86_64',
};
const fsinfo = [
  {
    name: 'vda1',
    mountpoint: '/',
    type: 'ext4',
    'used-bytes': 123,
    'total-bytes': 456,
    disk: [{ 'bus-type': 'virtio', bus: 0, target: 0, unit: 0, dev: '/dev/vda1', serial: 'rootdisk' }],
  },
  { name: 'tmpfs', mountpoint: '/run', type: 'tmpfs', disk: [] },
];
const users = [{ user: 'fedora', 'login-time': 1700000000.123 }, { user: 'Administrator', domain: 'CORP', 'login-time': 1700000001 }];

describe('guest agent → KubeVirt shapes', () => {
  it('maps guest-get-osinfo to camelCase', () => {
    expect(toGuestOSInfo(osinfo)).toEqual({
      name: 'Fedora Linux',
      kernelRelease: '6.5.6-300.fc39.x86_64',
      version: '39 (Cloud Edition)',
      prettyName: 'Fedora Linux 39 (Cloud Edition)',
      versionId: '39',
      kernelVersion: '#1 SMP PREEMPT_DYNAMIC',
      machine: 'x86_64',
      id: 'fedora',
    });
    expect(toGuestOSInfo(undefined)).toEqual({});
  });

  it('maps guest-get-users (login time in milliseconds as libvirt reports it; empty domain omitted)', () => {
    expect(toGuestOSUser(users[0]!)).toEqual({ userName: 'fedora', loginTime: 1700000000123 });
    expect(toGuestOSUser(users[1]!)).toEqual({ userName: 'Administrator', domain: 'CORP', loginTime: 1700000001000 });
  });

  it('maps guest-get-fsinfo (always-present sizes, serial omitted when empty, disk omitted when none)', () => {
    expect(toFileSystem(fsinfo[0]!)).toEqual({
      diskName: 'vda1',
      mountPoint: '/',
      fileSystemType: 'ext4',
      usedBytes: 123,
      totalBytes: 456,
      disk: [{ serial: 'rootdisk', busType: 'virtio' }],
    });
    expect(toFileSystem(fsinfo[1]!)).toEqual({ diskName: 'tmpfs', mountPoint: '/run', fileSystemType: 'tmpfs', usedBytes: 0, totalBytes: 0 });
    expect(toFileSystem({ name: 'sda', mountpoint: '/d', type: 'xfs', disk: [{ 'bus-type': 'scsi' }] }).disk).toEqual([{ busType: 'scsi' }]);
  });

  it('formats the time zone as "NAME, offset"', () => {
    expect(timezoneOf({ zone: 'UTC', offset: 0 })).toBe('UTC, 0');
    expect(timezoneOf({ zone: 'CET', offset: 3600 })).toBe('CET, 3600');
    expect(timezoneOf(undefined)).toBe(', 0');
  });

  it('builds guestosinfo', () => {
    expect(
      toGuestAgentInfo({
        info: { version: '9.0.0', supported_commands: [{ name: 'guest-ping', enabled: true, 'success-response': true }, { name: 'guest-exec', enabled: false }] },
        hostname: 'fedora',
        os: osinfo,
        timezone: { zone: 'UTC', offset: 0 },
        users,
        filesystems: fsinfo,
        fsFreezeStatus: 'thawed',
      }),
    ).toEqual({
      guestAgentVersion: '9.0.0',
      supportedCommands: [{ name: 'guest-ping', enabled: true }, { name: 'guest-exec' }],
      hostname: 'fedora',
      os: toGuestOSInfo(osinfo),
      timezone: 'UTC, 0',
      userList: [toGuestOSUser(users[0]!), toGuestOSUser(users[1]!)],
      fsInfo: { disks: [toFileSystem(fsinfo[0]!), toFileSystem(fsinfo[1]!)] },
      fsFreezeStatus: 'thawed',
    });
  });

  it('guestosinfo without agent data keeps os, timezone and fsInfo.disks null', () => {
    expect(toGuestAgentInfo({})).toEqual({ os: {}, timezone: ', 0', fsInfo: { disks: null } });
  });

  it('guestosinfo lists at most 10 users and 10 file systems', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ user: `u${i}`, 'login-time': 1 }));
    const fs = Array.from({ length: 12 }, (_, i) => ({ name: `d${i}`, mountpoint: `/m${i}`, type: 'xfs' }));
    const r = toGuestAgentInfo({ users: many, filesystems: fs });
    expect(r.userList).toHaveLength(10);
    expect(r.fsInfo.disks).toHaveLength(10);
  });

  it('userlist and filesystemlist are lists with empty metadata', () => {
    expect(toUserList([])).toEqual({ metadata: {}, items: [] });
    expect(toUserList(undefined)).toEqual({ metadata: {}, items: [] });
  });
});

// ---------------------------------------------------------------------------------------------------------------

const vmiPath = '/apis/kubevirt.io/v1/namespaces/ns/virtualmachineinstances/v';
const vmi = (phase: string, conditions: { type: string; status: string }[] = [], spec: Partial<VMI['spec']> = {}): VMI =>
  ({
    metadata: { name: 'v', namespace: 'ns', uid: 'uid-1' },
    spec,
    status: { phase, conditions },
  }) as VMI;
const agentConnected = [{ type: 'AgentConnected', status: 'True' }];

function agentDomain(replies: Record<string, unknown>, dir = '/tmp'): DomainLike {
  return {
    dir,
    qmp: { execute: async () => ({}) },
    agent: {
      call: async (cmd: string) => {
        if (!(cmd in replies)) throw new Error(`CommandNotFound: ${cmd}`);
        return replies[cmd];
      },
    },
    connectSerial: () => Promise.reject(new Error('x')),
    connectVnc: () => Promise.reject(new Error('x')),
    forward: () => Promise.reject(new Error('x')),
  };
}

function deps(theVmi: VMI | undefined, domain?: DomainLike): Deps {
  const kube = new FakeKube();
  if (theVmi) kube.objects.set(vmiPath, theVmi);
  return { kube, domains: () => domain };
}

describe('guest-agent GET handlers', () => {
  it('answer plain-text 500s', async () => {
    expect(await guestOSInfo(deps(undefined), 'ns', 'v')).toEqual({ type: 'plain', code: 500, text: 'virtualmachineinstance.kubevirt.io "v" not found' });
    expect(await userList(deps(vmi('Scheduled', agentConnected)), 'ns', 'v')).toEqual({
      type: 'plain',
      code: 500,
      text: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "v": VMI is not running',
    });
    expect(await filesystemList(deps(vmi('Running')), 'ns', 'v')).toEqual({
      type: 'plain',
      code: 500,
      text: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "v": VMI does not have guest agent connected',
    });
    expect(await filesystemList(deps(vmi('Running', agentConnected)), 'ns', 'v')).toEqual({
      type: 'plain',
      code: 500,
      text: 'unexpected return code 500 (500 Internal Server Error), message: No command socket found for vmi uid-1',
    });
  });

  it('count the AgentConnected condition by its presence', async () => {
    const r = await userList(deps(vmi('Running', [{ type: 'AgentConnected', status: 'False' }]), agentDomain({ 'guest-get-users': [] })), 'ns', 'v');
    expect(r).toEqual({ type: 'json', code: 200, body: { metadata: {}, items: [] } });
  });

  it('serve the mapped agent data', async () => {
    const d = agentDomain({
      'guest-info': { version: '9.0.0', supported_commands: [] },
      'guest-get-host-name': { 'host-name': 'fedora' },
      'guest-get-osinfo': osinfo,
      'guest-get-timezone': { zone: 'UTC', offset: 0 },
      'guest-get-users': users,
      'guest-get-fsinfo': fsinfo,
      'guest-fsfreeze-status': 'thawed',
    });
    const r = await guestOSInfo(deps(vmi('Running', agentConnected), d), 'ns', 'v');
    expect(r.type === 'json' && r.body).toMatchObject({ guestAgentVersion: '9.0.0', hostname: 'fedora', timezone: 'UTC, 0', fsFreezeStatus: 'thawed' });
    const fs = await filesystemList(deps(vmi('Running', agentConnected), d), 'ns', 'v');
    expect(fs.type === 'json' && fs.body).toEqual({ metadata: {}, items: fsinfo.map(toFileSystem) });
  });

  it('treat an agent that does not answer as no data', async () => {
    const r = await guestOSInfo(deps(vmi('Running', agentConnected), agentDomain({})), 'ns', 'v');
    expect(r).toEqual({ type: 'json', code: 200, body: { os: {}, timezone: ', 0', fsInfo: { disks: null } } });
  });
});

describe('vnc/screenshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'virt-api-shot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const shotDomain = (behaviour: 'ok' | 'hang' | 'fail'): DomainLike => ({
    ...agentDomain({}, dir),
    qmp: {
      execute: async (cmd: string, args?: object) => {
        if (cmd !== 'screendump') return {};
        if (behaviour === 'hang') return new Promise(() => undefined);
        if (behaviour === 'fail') throw new Error('no display');
        writeFileSync((args as { filename: string }).filename, Buffer.from('\x89PNG fake', 'latin1'));
        return {};
      },
    },
  });

  it('answers the PNG and removes the file', async () => {
    const r = await vncScreenshot(deps(vmi('Running'), shotDomain('ok')), 'ns', 'v', false);
    expect(r.type).toBe('binary');
    if (r.type === 'binary') {
      expect(r.contentType).toBe('image/png');
      expect(r.body.toString('latin1')).toBe('\x89PNG fake');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('validates like vnc', async () => {
    expect(await vncScreenshot(deps(vmi('Scheduled'), shotDomain('ok')), 'ns', 'v', false)).toMatchObject({
      type: 'status',
      status: { code: 400, message: 'VMI is not running' },
    });
    const noGraphics = vmi('Running', [], { domain: { devices: { autoattachGraphicsDevice: false } } });
    expect(await vncScreenshot(deps(noGraphics, shotDomain('ok')), 'ns', 'v', false)).toMatchObject({
      status: { code: 400, message: 'No graphics devices are present.' },
    });
    expect(await vncScreenshot(deps(undefined), 'ns', 'v', false)).toMatchObject({ status: { code: 404 } });
  });

  it('times out after 2 s with a 500', async () => {
    const r = await vncScreenshot(deps(vmi('Running'), shotDomain('hang')), 'ns', 'v', false);
    expect(r).toMatchObject({ type: 'status', status: { code: 500, message: 'Internal error occurred: timed out waiting for VNC server messages' } });
  });

  it('a failing screendump is a 500', async () => {
    const r = await vncScreenshot(deps(vmi('Running'), shotDomain('fail')), 'ns', 'v', true);
    expect(r).toMatchObject({ type: 'status', status: { code: 500 } });
  });
});
