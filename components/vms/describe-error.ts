import { ApiError } from '@/lib/live/api-client';
import type { Translate } from '@/lib/i18n/locales';
import type { LiveError } from '@/lib/live/live-status';

// An API error in the user's language, plus the API server's own reason (which the cluster only gives in English).
export function describeError(err: unknown, t: Translate): { summary: string; reason?: string } {
  if (!(err instanceof ApiError)) return { summary: t('error.generic') };
  const d = err.body.details ?? {};
  const reason = typeof d.reason === 'string' ? d.reason : err.body.message;
  switch (err.body.code) {
    case 'unauthenticated':
      return { summary: t('error.unauthenticated') };
    case 'forbidden':
      return { summary: t('error.forbidden', { verb: String(d.verb ?? ''), resource: String(d.resource ?? '') }), reason };
    case 'quota_exceeded': {
      const limit = Array.isArray(d.resources) ? `${(d.resources as string[]).join(', ')} (${String(d.quota)})` : String(d.limit ?? '');
      return { summary: t('error.quota', { limit }), reason };
    }
    case 'conflict':
      // A create meets an object of the same name; any other conflict is about the object's current state.
      return { summary: t(d.upstreamReason === 'AlreadyExists' ? 'error.alreadyExists' : 'error.conflict'), reason };
    case 'invalid':
      return { summary: t('error.invalid'), reason };
    case 'not_found':
      return { summary: t('error.notFound'), reason };
    case 'api_unreachable':
      return { summary: t('error.unreachable') };
    case 'csrf':
      return { summary: t('error.csrf') };
    default:
      return { summary: t('error.generic'), reason };
  }
}

// Why a live list stopped or is retrying, in the user's language; the portal's own words (English) as the reason.
export function describeLiveError(err: LiveError, t: Translate): { summary: string; reason?: string } {
  switch (err.code) {
    case 'unauthenticated':
      return { summary: t('error.unauthenticated') };
    case 'forbidden':
      return { summary: t('live.forbidden'), reason: err.message };
    case 'too_many_requests':
      return { summary: t('live.tooMany'), reason: err.message };
    case 'api_unreachable':
      return { summary: t('error.unreachable') };
    default:
      return { summary: t('live.failed'), reason: err.message };
  }
}
