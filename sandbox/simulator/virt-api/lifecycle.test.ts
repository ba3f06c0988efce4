import { describe, expect, it } from 'vitest';
import { ApiError } from '../kube/client.ts';
import type { Deps, DomainLike } from './context.ts';
import { FakeKube, statusBody } from './fake-kube.test-helper.ts';
import {
  changeRequestPatch,
  isEmptyStatus,
  pauseVMI,
  planRestart,
  planStart,
  planStop,
  patchFailure,
  resetVMI,
  restartVM,
  runningPatch,
  softRebootVMI,
  startVM,
  stopVM,
  unpauseVMI,
  validatePause,
  validateSoftReboot,
  validateUnpause,
} from './lifecycle.ts';
import type { VM, VMI } from '../kubevirt/types.ts';
import type { Reply } from './reply.ts';

// Fixtures carry only the fields the handlers read, so they leave out what the generated types require.
const vm = (spec: Partial<VM['spec']>, status?: VM['status']): VM =>
  ({
    metadata: { name: 'myvm', namespace: 'ns', uid: 'vm-uid' },
    spec,
    ...(status ? { status } : {}),
  }) as VM;
const vmi = (phase: string, extra: { spec?: object; status?: VMI['status'] } = {}): VMI =>
  ({
    metadata: { name: 'myvm', namespace: 'ns', uid: 'vmi-uid' },
    spec: { terminationGracePeriodSeconds: 180 },
    status: { phase },
    ...extra,
  }) as VMI;
const messageOf = (p: { kind: string; status?: { message: string } }) => p.status?.message;
const conflictMsg = (why: string) => `Operation cannot be fulfilled on virtualmachine.kubevirt.io "myvm": ${why}`;

describe('changeRequestPatch (getChangeRequestJson)', () => {
  it('adds the whole status when it is empty', () => {
    expect(changeRequestPatch(vm({ runStrategy: 'Manual' }), [{ action: 'Start' }])).toEqual([
      { op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Start' }] } },
    ]);
    expect(changeRequestPatch(vm({ runStrategy: 'Manual' }, { created: false, stateChangeRequests: [] }), [{ action: 'Start' }])).toEqual([
      { op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Start' }] } },
    ]);
  });

  it('tests and adds to an empty list', () => {
    expect(changeRequestPatch(vm({ runStrategy: 'Manual' }, { printableStatus: 'Stopped' }), [{ action: 'Start' }])).toEqual([
      { op: 'test', path: '/status/stateChangeRequests', value: null },
      { op: 'add', path: '/status/stateChangeRequests', value: [{ action: 'Start' }] },
    ]);
  });

  it('replaces a pending list with a single Stop', () => {
    const current = [{ action: 'Start' }];
    expect(changeRequestPatch(vm({}, { printableStatus: 'Starting', stateChangeRequests: current }), [{ action: 'Stop', uid: 'u' }])).toEqual([
      { op: 'test', path: '/status/stateChangeRequests', value: current },
      { op: 'replace', path: '/status/stateChangeRequests', value: [{ action: 'Stop', uid: 'u' }] },
    ]);
  });

  it('refuses anything else while requests are pending', () => {
    expect(changeRequestPatch(vm({}, { stateChangeRequests: [{ action: 'Stop', uid: 'u' }] }), [{ action: 'Start' }])).toEqual({
      error: 'unable to complete request: stop/start already underway',
    });
  });

  it('removes a startFailure', () => {
    const p = changeRequestPatch(vm({}, { printableStatus: 'CrashLoopBackOff', startFailure: { consecutiveFailCount: 2 } }), [{ action: 'Start' }]);
    expect(p).toContainEqual({ op: 'remove', path: '/status/startFailure' });
  });

  it('counts pointer fields as set even when empty', () => {
    expect(isEmptyStatus({ ready: false, observedGeneration: 0, printableStatus: '' })).toBe(true);
    expect(isEmptyStatus({ startFailure: {} })).toBe(false);
    expect(isEmptyStatus({ snapshotInProgress: '' })).toBe(false);
  });
});

describe('runningPatch (getRunningPatch)', () => {
  it('patches runStrategy when set', () => {
    expect(runningPatch(vm({ runStrategy: 'Halted' }), true)).toEqual([
      { op: 'test', path: '/spec/runStrategy', value: 'Halted' },
      { op: 'replace', path: '/spec/runStrategy', value: 'Always' },
    ]);
  });
  it('patches the legacy spec.running otherwise', () => {
    expect(runningPatch(vm({ running: true }), false)).toEqual([
      { op: 'test', path: '/spec/running', value: true },
      { op: 'replace', path: '/spec/running', value: false },
    ]);
    expect(runningPatch(vm({}), true)).toEqual([
      { op: 'test', path: '/spec/running', value: null },
      { op: 'replace', path: '/spec/running', value: true },
    ]);
  });
});

describe('planStart', () => {
  it('refuses a VM whose VMI is alive', () => {
    for (const phase of ['Pending', 'Scheduling', 'Scheduled', 'Running']) {
      const p = planStart(vm({ runStrategy: 'Manual' }), vmi(phase), {});
      expect(p.kind).toBe('error');
      expect(messageOf(p as never)).toBe(conflictMsg('VM is already running'));
    }
  });

  it('ignores a VMI that is final, Unknown or without phase', () => {
    for (const phase of ['Succeeded', 'Failed', 'Unknown', '']) {
      expect(planStart(vm({ runStrategy: 'Halted' }), vmi(phase), {}).kind).toBe('patch-spec');
    }
  });

  it('refuses a VM that needs manual recovery', () => {
    const p = planStart(vm({ runStrategy: 'Halted' }, { conditions: [{ type: 'ManualRecoveryRequired', status: 'True' }] }), undefined, {});
    expect(messageOf(p as never)).toMatch(/^Operation cannot be fulfilled on virtualmachine.kubevirt.io "myvm": VM recovery required: Volume migration failed/);
  });

  it('Halted: flips runStrategy to Always, or spec.running to true', () => {
    expect(planStart(vm({ runStrategy: 'Halted' }), undefined, {})).toEqual({
      kind: 'patch-spec',
      patch: [
        { op: 'test', path: '/spec/runStrategy', value: 'Halted' },
        { op: 'replace', path: '/spec/runStrategy', value: 'Always' },
      ],
    });
    expect(planStart(vm({ running: false }), undefined, {})).toEqual({
      kind: 'patch-spec',
      patch: [
        { op: 'test', path: '/spec/running', value: false },
        { op: 'replace', path: '/spec/running', value: true },
      ],
    });
  });

  it('Halted + paused: a Start request with paused data on the status', () => {
    expect(planStart(vm({ runStrategy: 'Halted' }), undefined, { paused: true })).toEqual({
      kind: 'patch-status',
      patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Start', data: { paused: 'true' } }] } }],
    });
  });

  it('Manual: a Start request; after a final VMI, Stop(old uid) + Start', () => {
    expect(planStart(vm({ runStrategy: 'Manual' }), undefined, {})).toEqual({
      kind: 'patch-status',
      patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Start' }] } }],
    });
    for (const phase of ['Succeeded', 'Failed']) {
      expect(planStart(vm({ runStrategy: 'Manual' }), vmi(phase), { paused: true })).toEqual({
        kind: 'patch-status',
        patch: [
          {
            op: 'add',
            path: '/status',
            value: { stateChangeRequests: [{ action: 'Stop', uid: 'vmi-uid' }, { action: 'Start', data: { paused: 'true' } }] },
          },
        ],
      });
    }
  });

  it('RerunOnFailure: Stop + Start after Succeeded, refused after Failed', () => {
    const p = planStart(vm({ runStrategy: 'RerunOnFailure' }), vmi('Succeeded'), {});
    expect(p).toEqual({
      kind: 'patch-status',
      patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Stop', uid: 'vmi-uid' }, { action: 'Start' }] } }],
    });
    expect(messageOf(planStart(vm({ runStrategy: 'RerunOnFailure' }), vmi('Failed'), {}) as never)).toBe(
      conflictMsg('RerunOnFailure does not support starting VM from failed state'),
    );
    expect(planStart(vm({ runStrategy: 'RerunOnFailure' }), undefined, {}).kind).toBe('patch-status');
  });

  it('Always / Once: refused', () => {
    expect(messageOf(planStart(vm({ runStrategy: 'Always' }), undefined, {}) as never)).toBe(conflictMsg('Always does not support manual start requests'));
    expect(messageOf(planStart(vm({ running: true }), undefined, {}) as never)).toBe(conflictMsg('Always does not support manual start requests'));
    expect(messageOf(planStart(vm({ runStrategy: 'Once' }), undefined, {}) as never)).toBe(conflictMsg('Once does not support manual start requests'));
  });

  it('pending requests: 500 already underway', () => {
    const p = planStart(vm({ runStrategy: 'Manual' }, { stateChangeRequests: [{ action: 'Start' }] }), undefined, {});
    expect(p.kind).toBe('error');
    expect(p.kind === 'error' && p.status.code).toBe(500);
    expect(messageOf(p as never)).toBe('Internal error occurred: unable to complete request: stop/start already underway');
  });

  it('running and runStrategy together: 500', () => {
    expect(messageOf(planStart(vm({ running: true, runStrategy: 'Always' }), undefined, {}) as never)).toBe(
      'Internal error occurred: running and runstrategy are mutually exclusive',
    );
  });

  it('an unknown strategy is accepted without a patch', () => {
    expect(planStart(vm({ runStrategy: 'WaitAsReceiver' }), undefined, {})).toEqual({ kind: 'none' });
  });
});

describe('planStop', () => {
  it('Always / Once: flips to Halted (no VMI needed)', () => {
    expect(planStop(vm({ runStrategy: 'Always' }), undefined, {})).toEqual({
      plan: {
        kind: 'patch-spec',
        patch: [
          { op: 'test', path: '/spec/runStrategy', value: 'Always' },
          { op: 'replace', path: '/spec/runStrategy', value: 'Halted' },
        ],
      },
    });
    expect(planStop(vm({ running: true }), undefined, {}).plan).toEqual({
      kind: 'patch-spec',
      patch: [
        { op: 'test', path: '/spec/running', value: true },
        { op: 'replace', path: '/spec/running', value: false },
      ],
    });
    expect(planStop(vm({ runStrategy: 'Once' }), vmi('Running'), {}).plan.kind).toBe('patch-spec');
  });

  it('Manual / RerunOnFailure: a Stop request for the VMI, or VM is not running', () => {
    for (const rs of ['Manual', 'RerunOnFailure']) {
      expect(planStop(vm({ runStrategy: rs }), vmi('Running'), {}).plan).toEqual({
        kind: 'patch-status',
        patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Stop', uid: 'vmi-uid' }] } }],
      });
      expect(messageOf(planStop(vm({ runStrategy: rs }), undefined, {}).plan as never)).toBe(conflictMsg('VM is not running'));
      expect(messageOf(planStop(vm({ runStrategy: rs }), vmi('Succeeded'), {}).plan as never)).toBe(conflictMsg('VM is not running'));
    }
  });

  it('a Stop replaces pending requests', () => {
    const pending = [{ action: 'Start' }];
    expect(planStop(vm({ runStrategy: 'Manual' }, { stateChangeRequests: pending }), vmi('Running'), {}).plan).toEqual({
      kind: 'patch-status',
      patch: [
        { op: 'test', path: '/status/stateChangeRequests', value: pending },
        { op: 'replace', path: '/status/stateChangeRequests', value: [{ action: 'Stop', uid: 'vmi-uid' }] },
      ],
    });
  });

  it('gracePeriod patches the VMI first', () => {
    const r = planStop(vm({ runStrategy: 'Always' }), vmi('Running'), { gracePeriod: 0 });
    expect(r.vmiPatch).toEqual([
      { op: 'test', path: '/spec/terminationGracePeriodSeconds', value: 180 },
      { op: 'replace', path: '/spec/terminationGracePeriodSeconds', value: 0 },
    ]);
    const noGrace = vmi('Running', { spec: {} });
    expect(planStop(vm({ runStrategy: 'Manual' }), noGrace, { gracePeriod: 5 }).vmiPatch?.[0]).toEqual({
      op: 'test',
      path: '/spec/terminationGracePeriodSeconds',
      value: null,
    });
    expect(planStop(vm({ runStrategy: 'Always' }), vmi('Failed'), { gracePeriod: 0 }).vmiPatch).toBeUndefined();
  });

  it('Halted: only a shorter grace period stops a live VMI', () => {
    expect(messageOf(planStop(vm({ runStrategy: 'Halted' }), undefined, {}).plan as never)).toBe(conflictMsg('VM is not running'));
    const halted = conflictMsg('Halted only supports manual stop requests with a shorter graceperiod');
    expect(messageOf(planStop(vm({ runStrategy: 'Halted' }), vmi('Running'), {}).plan as never)).toBe(halted);
    const same = planStop(vm({ runStrategy: 'Halted' }), vmi('Running'), { gracePeriod: 180 });
    expect(messageOf(same.plan as never)).toBe(halted);
    expect(same.vmiPatch).toBeDefined(); // applied even though the answer is a conflict
    expect(planStop(vm({ runStrategy: 'Halted' }), vmi('Running'), { gracePeriod: 0 }).plan).toEqual({
      kind: 'patch-status',
      patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Stop', uid: 'vmi-uid' }] } }],
    });
  });
});

describe('planRestart', () => {
  it('validates gracePeriodSeconds', () => {
    expect(messageOf(planRestart(vm({ runStrategy: 'Always' }), vmi('Running'), { gracePeriodSeconds: 5 }) as never)).toBe(
      'For force restart, only gracePeriod=0 is supported for now',
    );
    const neg = planRestart(vm({ runStrategy: 'Always' }), vmi('Running'), { gracePeriodSeconds: -1 });
    expect(neg.kind === 'error' && neg.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'gracePeriod has to be greater or equal to 0' });
  });

  it('refuses Halted and Once (with the RunStategy typo)', () => {
    expect(messageOf(planRestart(vm({ runStrategy: 'Halted' }), vmi('Running'), {}) as never)).toBe(
      conflictMsg('RunStategy Halted does not support manual restart requests'),
    );
    expect(messageOf(planRestart(vm({ runStrategy: 'Once' }), vmi('Running'), {}) as never)).toBe(
      conflictMsg('RunStategy Once does not support manual restart requests'),
    );
  });

  it('refuses without a VMI', () => {
    expect(messageOf(planRestart(vm({ runStrategy: 'Always' }), undefined, {}) as never)).toBe(conflictMsg('VM is not running: Halted'));
  });

  it('refuses while volumes change', () => {
    const p = planRestart(vm({ runStrategy: 'Always' }, { conditions: [{ type: 'VolumesChange', status: 'True' }] }), vmi('Running'), {});
    expect(messageOf(p as never)).toMatch(/VM recovery required/);
  });

  it('queues Stop + Start, and a pod kill for gracePeriodSeconds 0', () => {
    expect(planRestart(vm({ runStrategy: 'Always' }), vmi('Running'), {})).toEqual({
      kind: 'patch-status',
      patch: [{ op: 'add', path: '/status', value: { stateChangeRequests: [{ action: 'Stop', uid: 'vmi-uid' }, { action: 'Start' }] } }],
      deleteLauncherPod: false,
    });
    expect(planRestart(vm({ runStrategy: 'Manual' }), vmi('Running'), { gracePeriodSeconds: 0 })).toMatchObject({ deleteLauncherPod: true });
  });
});

describe('patchFailure', () => {
  it('a JSON-patch test failure message is a Conflict, anything else an InternalError', () => {
    const test = new ApiError(422, statusBody('jsonpatch test operation does not apply: is: Always, expected: Halted', 422), 'x');
    expect(patchFailure('myvm', test)).toMatchObject({ code: 409, message: conflictMsg('jsonpatch test operation does not apply: is: Always, expected: Halted') });
    const other = new ApiError(422, statusBody('the server rejected our request due to an error in our request', 422), 'x');
    expect(patchFailure('myvm', other)).toMatchObject({
      code: 500,
      message: 'Internal error occurred: the server rejected our request due to an error in our request',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Handlers against a fake API server

const vmPath = '/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/myvm';
const vmiPath = '/apis/kubevirt.io/v1/namespaces/ns/virtualmachineinstances/myvm';

function setup(theVm?: VM, theVmi?: VMI, domain?: DomainLike) {
  const kube = new FakeKube();
  if (theVm) kube.objects.set(vmPath, theVm);
  if (theVmi) kube.objects.set(vmiPath, theVmi);
  const deps: Deps = { kube, domains: () => domain };
  return { kube, deps };
}

const statusOf = (r: Reply) => (r.type === 'status' ? r.status : undefined);

describe('startVM / stopVM / restartVM', () => {
  it('404 for a missing VM', async () => {
    const { deps } = setup();
    const r = await startVM(deps, 'ns', 'myvm', '');
    expect(statusOf(r)).toMatchObject({ code: 404, message: 'virtualmachine.kubevirt.io "myvm" not found' });
  });

  it('start patches the spec and answers 202, passing dryRun', async () => {
    const { kube, deps } = setup(vm({ runStrategy: 'Halted' }));
    expect(await startVM(deps, 'ns', 'myvm', '{"dryRun":["All"]}')).toEqual({ type: 'empty', code: 202 });
    expect(kube.callsOf('PATCH')).toEqual([
      {
        method: 'PATCH',
        path: `${vmPath}?dryRun=All`,
        type: 'json',
        body: [
          { op: 'test', path: '/spec/runStrategy', value: 'Halted' },
          { op: 'replace', path: '/spec/runStrategy', value: 'Always' },
        ],
      },
    ]);
  });

  it('start on a running VM is a conflict even with a malformed body (the body is read later)', async () => {
    const { deps } = setup(vm({ runStrategy: 'Always' }), vmi('Running'));
    expect(statusOf(await startVM(deps, 'ns', 'myvm', '{bad'))?.code).toBe(409);
  });

  it('a malformed body is a 400', async () => {
    const { deps } = setup(vm({ runStrategy: 'Halted' }));
    expect(statusOf(await startVM(deps, 'ns', 'myvm', '{bad'))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: "Can not unmarshal Request body to struct, error: invalid character 'b' looking for beginning of object key string",
    });
  });

  it('stop on Manual patches /status', async () => {
    const { kube, deps } = setup(vm({ runStrategy: 'Manual' }), vmi('Running'));
    expect(await stopVM(deps, 'ns', 'myvm', '')).toEqual({ type: 'empty', code: 202 });
    expect(kube.callsOf('PATCH')[0]).toMatchObject({ path: `${vmPath}/status`, type: 'json' });
  });

  it('stop with gracePeriod patches the VMI first, then the VM', async () => {
    const { kube, deps } = setup(vm({ runStrategy: 'Always' }), vmi('Running'));
    expect(await stopVM(deps, 'ns', 'myvm', '{"gracePeriod":0}')).toEqual({ type: 'empty', code: 202 });
    expect(kube.callsOf('PATCH').map((c) => c.path)).toEqual([vmiPath, vmPath]);
  });

  it('a failing patch is a 500 with the API server message', async () => {
    const { kube, deps } = setup(vm({ runStrategy: 'Always' }));
    kube.failures.set(`PATCH ${vmPath}`, new ApiError(422, statusBody('the server rejected our request due to an error in our request', 422), 'x'));
    expect(statusOf(await stopVM(deps, 'ns', 'myvm', ''))).toMatchObject({ code: 500 });
  });

  it('restart with gracePeriodSeconds 0 deletes the running launcher pod with grace period 1', async () => {
    const { kube, deps } = setup(vm({ runStrategy: 'Always' }), vmi('Running'));
    const podsPath =
      '/api/v1/namespaces/ns/pods?labelSelector=' +
      encodeURIComponent('kubevirt.io=virt-launcher,kubevirt.io/created-by=vmi-uid') +
      '&fieldSelector=' +
      encodeURIComponent('status.phase==Running');
    kube.objects.set(podsPath.split('?')[0]!, { items: [{ metadata: { name: 'virt-launcher-myvm-abcde' } }] });
    expect(await restartVM(deps, 'ns', 'myvm', '{"gracePeriodSeconds":0}')).toEqual({ type: 'empty', code: 202 });
    expect(kube.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${vmPath}`,
      `GET ${vmiPath}`,
      `PATCH ${vmPath}/status`,
      `GET ${podsPath}`,
      'DELETE /api/v1/namespaces/ns/pods/virt-launcher-myvm-abcde',
    ]);
    expect(kube.callsOf('DELETE')[0]?.body).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 1 });
  });

  it('restart validates its body before fetching the VM', async () => {
    const { kube, deps } = setup();
    expect(statusOf(await restartVM(deps, 'ns', 'myvm', '{"gracePeriodSeconds":3}'))).toMatchObject({ code: 400 });
    expect(kube.calls).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// VMI actions

const condition = (type: string, status = 'True') => ({ type, status });
const vmiMsg = (why: string) => `Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "myvm": ${why}`;

describe('VMI action validations', () => {
  it('pause', () => {
    expect(validatePause(vmi('Scheduled'))?.message).toBe(vmiMsg('VM is not running'));
    expect(validatePause(vmi('Running', { spec: { livenessProbe: {} } }))).toMatchObject({
      code: 403,
      message: 'virtualmachineinstance.kubevirt.io "myvm" is forbidden: Pausing VMIs with LivenessProbe is currently not supported',
    });
    expect(validatePause(vmi('Running', { status: { phase: 'Running', conditions: [condition('Paused')] } }))?.message).toBe(vmiMsg('VMI is already paused'));
    expect(validatePause(vmi('Running'))).toBeUndefined();
  });

  it('unpause', () => {
    expect(validateUnpause(vmi('Succeeded'))?.message).toBe(vmiMsg('VMI is not running'));
    expect(validateUnpause(vmi('Running'))?.message).toBe(vmiMsg('VMI is not paused'));
    expect(validateUnpause(vmi('Running', { status: { phase: 'Running', conditions: [condition('Paused')] } }))).toBeUndefined();
  });

  it('softreboot', () => {
    expect(validateSoftReboot(vmi('Pending'))?.message).toBe(vmiMsg('VM is not running'));
    expect(validateSoftReboot(vmi('Running', { status: { phase: 'Running', conditions: [condition('Paused')] } }))?.message).toBe(vmiMsg('VMI is paused'));
    const noAcpi = vmi('Running', { spec: { domain: { features: { acpi: { enabled: false } } } } });
    expect(validateSoftReboot(noAcpi)?.message).toBe(vmiMsg('VMI neither have the agent connected nor the ACPI feature enabled'));
    expect(validateSoftReboot({ ...noAcpi, status: { phase: 'Running', conditions: [condition('AgentConnected')] } })).toBeUndefined();
    expect(validateSoftReboot(vmi('Running'))).toBeUndefined();
  });
});

function fakeDomain(opts: { agentFails?: string; qmpFails?: string } = {}) {
  const log: string[] = [];
  const d: DomainLike = {
    dir: '/tmp',
    qmp: {
      execute: async (cmd: string) => {
        log.push(`qmp ${cmd}`);
        if (opts.qmpFails) throw new Error(opts.qmpFails);
        return {};
      },
    },
    agent: {
      call: async (cmd: string, args?: object) => {
        log.push(`agent ${cmd} ${JSON.stringify(args ?? {})}`);
        if (opts.agentFails) throw new Error(opts.agentFails);
        return {};
      },
    },
    connectSerial: () => Promise.reject(new Error('no')),
    connectVnc: () => Promise.reject(new Error('no')),
    forward: () => Promise.reject(new Error('no')),
  };
  return { d, log };
}

describe('pause / unpause / reset / softreboot handlers', () => {
  it('pause: QMP stop, 200', async () => {
    const { d, log } = fakeDomain();
    const { deps } = setup(undefined, vmi('Running'), d);
    expect(await pauseVMI(deps, 'ns', 'myvm', '')).toEqual({ type: 'empty', code: 200 });
    expect(log).toEqual(['qmp stop']);
  });

  it('pause with dryRun All validates only', async () => {
    const { d, log } = fakeDomain();
    const { deps } = setup(undefined, vmi('Running'), d);
    expect(await pauseVMI(deps, 'ns', 'myvm', '{"dryRun":["All"]}')).toEqual({ type: 'empty', code: 200 });
    expect(log).toEqual([]);
  });

  it('unpause: QMP cont', async () => {
    const { d, log } = fakeDomain();
    const { deps } = setup(undefined, vmi('Running', { status: { phase: 'Running', conditions: [condition('Paused')] } }), d);
    expect(await unpauseVMI(deps, 'ns', 'myvm', '')).toEqual({ type: 'empty', code: 200 });
    expect(log).toEqual(['qmp cont']);
  });

  it('a missing VMI is a 404 on virtualmachineinstance', async () => {
    const { deps } = setup();
    expect(statusOf(await unpauseVMI(deps, 'ns', 'myvm', ''))).toMatchObject({ code: 404, message: 'virtualmachineinstance.kubevirt.io "myvm" not found' });
  });

  it('a Running VMI without a domain is a 500 like a failed virt-handler call', async () => {
    const { deps } = setup(undefined, vmi('Running'));
    expect(statusOf(await pauseVMI(deps, 'ns', 'myvm', ''))).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: unexpected return code 500 (500 Internal Server Error), message: No command socket found for vmi vmi-uid',
    });
  });

  it('reset: system_reset; a VMI not Running or Scheduled is a 400 with the explanation', async () => {
    const { d, log } = fakeDomain();
    const { deps } = setup(undefined, vmi('Running'), d);
    expect(await resetVMI(deps, 'ns', 'myvm')).toEqual({ type: 'empty', code: 200 });
    expect(log).toEqual(['qmp system_reset']);

    const stopped = setup(undefined, vmi('Succeeded'), d);
    expect(statusOf(await resetVMI(stopped.deps, 'ns', 'myvm'))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'Failed to reset non-running VMI with phase Succeeded: Unable to connect to VirtualMachineInstance because phase is Succeeded instead of Running or Scheduled',
    });
  });

  it('reset of a Scheduled VMI that fails carries the explanation in the 500', async () => {
    const { d } = fakeDomain({ qmpFails: 'not ready' });
    const { deps } = setup(undefined, vmi('Scheduled'), d);
    expect(statusOf(await resetVMI(deps, 'ns', 'myvm'))?.message).toBe(
      'Internal error occurred: Failed to reset non-running VMI with phase Scheduled: unexpected return code 500 (500 Internal Server Error), message: not ready',
    );
  });

  it('softreboot: guest-shutdown reboot through the agent when connected, system_reset otherwise', async () => {
    const a = fakeDomain({ agentFails: 'guest agent did not answer {"execute":"guest-shutdown","arguments":{"mode":"reboot"}}' });
    const withAgent = setup(undefined, vmi('Running', { status: { phase: 'Running', conditions: [condition('AgentConnected')] } }), a.d);
    expect(await softRebootVMI(withAgent.deps, 'ns', 'myvm')).toEqual({ type: 'empty', code: 200 });
    expect(a.log).toEqual(['agent guest-shutdown {"mode":"reboot"}']);

    const b = fakeDomain();
    const noAgent = setup(undefined, vmi('Running'), b.d);
    expect(await softRebootVMI(noAgent.deps, 'ns', 'myvm')).toEqual({ type: 'empty', code: 200 });
    expect(b.log).toEqual(['qmp system_reset']);
  });

  it('softreboot: an agent error is a 500', async () => {
    const a = fakeDomain({ agentFails: 'GenericError: Invalid parameter' });
    const { deps } = setup(undefined, vmi('Running', { status: { phase: 'Running', conditions: [condition('AgentConnected')] } }), a.d);
    expect(statusOf(await softRebootVMI(deps, 'ns', 'myvm'))?.code).toBe(500);
  });
});
