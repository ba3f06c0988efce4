'use client';
import { useT } from '../i18n/I18nProvider';
import { describeLiveError } from './describe-error';
import { Data } from '@/lib/i18n/interpolate';
import type { LiveStatus } from '@/lib/live/live-status';

// Whether the page follows the cluster: live, (re)connecting, or stopped/retrying with the reason, never a silent
// "reconnecting" for ever. A status region in every state, so a screen reader hears the list drop and come back.
// data-live is what tests wait for.
export function LiveIndicator({ status, shown = true }: { status: LiveStatus; shown?: boolean }) {
  const t = useT();
  if (!shown) return <span className="ml-auto" data-testid="live-indicator" data-live="false" />;
  if (typeof status === 'object') {
    const { summary, reason } = describeLiveError(status.error, t);
    return (
      <span role="status" className="ml-auto max-w-xl text-right text-xs text-red-700" data-testid="live-indicator" data-live="false" data-live-error={status.error.code}>
        {t(status.error.retrying ? 'live.interrupted' : 'live.stopped', { reason: summary })}
        {reason ? (
          <Data className="block text-slate-500">{reason}</Data>
        ) : null}
      </span>
    );
  }
  const text = status === 'live' ? `● ${t('common.live')}` : t(status === 'connecting' ? 'common.connecting' : 'common.reconnecting');
  return (
    <span role="status" className={`ml-auto text-xs ${status === 'live' ? 'text-emerald-700' : 'text-slate-400'}`} data-testid="live-indicator" data-live={status === 'live'} data-live-state={status}>
      {text}
    </span>
  );
}
