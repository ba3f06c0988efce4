// Waiting for a live migration the way a test should: done when the VMI runs on another node, at once when the
// migration failed (with its reason), and on a timeout with what the migration and its target pod were doing, so a
// failed run says which step stopped.
import { getJson } from './helpers.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
async function explain(ns: string, vmiName: string, vmi: any): Promise<string> {
  const list = (await getJson(['vmim', '-n', ns, '-l', `kubevirt.io/vmi-name=${vmiName}`]))?.items ?? [];
  const mig = list.find((m: any) => m.metadata.uid === vmi?.status?.migrationState?.migrationUid) ?? list.at(-1);
  const pods = (await getJson(['pods', '-n', ns, '-l', `kubevirt.io/created-by=${vmi?.metadata?.uid}`]))?.items ?? [];
  const facts = {
    vmiPhase: vmi?.status?.phase,
    vmiNode: vmi?.status?.nodeName,
    migrationState: vmi?.status?.migrationState,
    migration: mig && {
      name: mig.metadata.name,
      phases: (mig.status?.phaseTransitionTimestamps ?? []).map((p: any) => `${p.phase}@${p.phaseTransitionTimestamp}`),
      conditions: mig.status?.conditions,
      failureReason: mig.status?.migrationState?.failureReason,
    },
    pods: pods.map((p: any) => ({ name: p.metadata.name, node: p.spec.nodeName, phase: p.status?.phase, deleting: !!p.metadata.deletionTimestamp, reasons: (p.status?.conditions ?? []).filter((c: any) => c.status !== 'True').map((c: any) => `${c.type}:${c.reason ?? ''}`) })),
  };
  return JSON.stringify(facts);
}

/**
 * The VMI once a migration asked for after `before` (the VMI as it was) has moved it to another node; throws when
 * that migration fails or `timeoutMs` passes. An earlier migration's state, still on the VMI until the new one
 * starts, is not taken for this one's.
 */
export async function waitForMigration(before: any, timeoutMs = 60_000): Promise<any> {
  const { namespace: ns, name: vmiName } = before.metadata;
  const fromNode = before.status.nodeName;
  const earlier = before.status.migrationState?.migrationUid;
  const deadline = Date.now() + timeoutMs;
  let vmi: any;
  for (;;) {
    vmi = await getJson(['vmi', vmiName, '-n', ns]);
    const state = vmi?.status?.migrationState;
    const current = state?.migrationUid && state.migrationUid !== earlier;
    if (current && state.completed && vmi.status.nodeName !== fromNode) return vmi;
    if (current && state.failed) throw new Error(`the migration of ${ns}/${vmiName} failed: ${await explain(ns, vmiName, vmi)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${ns}/${vmiName} to migrate off ${fromNode}: ${await explain(ns, vmiName, vmi)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
