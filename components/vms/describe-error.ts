import { ApiError } from '@/lib/live/api-client';
import type { Translate } from '@/lib/i18n/locales';

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
      return { summary: t('error.conflict'), reason };
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
