import { formatAge } from '@/lib/i18n/format';
import type { MessageKey, Translate } from '@/lib/i18n/locales';
import type { MigrationResult } from '@/lib/kubevirt/migrations';

// The words of the migration views: phase and result names, durations. Pure.

const PHASE_KEYS: Record<string, MessageKey> = {
  '': 'migration.phase.new',
  Pending: 'migration.phase.Pending',
  Scheduling: 'migration.phase.Scheduling',
  Scheduled: 'migration.phase.Scheduled',
  PreparingTarget: 'migration.phase.PreparingTarget',
  TargetReady: 'migration.phase.TargetReady',
  Running: 'migration.phase.Running',
  Succeeded: 'migration.phase.Succeeded',
  Failed: 'migration.phase.Failed',
};

/** A phase in the user's language; one KubeVirt adds later is shown as KubeVirt names it. */
export function phaseLabel(phase: string, t: Translate): string {
  const key = PHASE_KEYS[phase];
  return key ? t(key) : phase;
}

export const RESULT_KEYS: Record<MigrationResult | 'cancelling', MessageKey> = {
  running: 'migration.result.running',
  succeeded: 'migration.result.succeeded',
  failed: 'migration.result.failed',
  cancelled: 'migration.result.cancelled',
  cancelling: 'migration.result.cancelling',
};

export const RESULT_TONE: Record<MigrationResult | 'cancelling', string> = {
  running: 'bg-sky-100 text-sky-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-900',
  cancelling: 'bg-amber-100 text-amber-900',
};

/** Short durations (a sandbox migration takes about a second) to a tenth of a second, longer ones as ages. */
export function formatDuration(ms: number | undefined, t: Translate): string {
  if (ms === undefined) return '';
  if (ms < 10_000) return t('migration.seconds', { n: (ms / 1000).toFixed(1) });
  return formatAge(0, ms, t);
}

/** Time of day, for the phases of one migration. */
export function formatTime(iso: string | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Share of the data transferred, 0-100, when the gauges allow it. */
export function percentDone(processed: number, remaining: number): number | undefined {
  const total = processed + remaining;
  if (!Number.isFinite(total) || total <= 0) return undefined;
  return Math.min(100, Math.max(0, Math.round((processed / total) * 100)));
}
