import { formatAmount, type AmountUnit } from '../create/wizard/units';
import type { Translate } from '@/lib/i18n/locales';

// A quota amount as people read it, in the user's language: the wizard's quota table and the quota panel say the
// same number the same way.
export const amountText = (t: Translate, n: number, unit: AmountUnit) => (unit === 'cores' ? t('create.unit.cores', { n: formatAmount(n, unit) }) : formatAmount(n, unit));

/** A share as a whole percentage; more than the limit shows as such ("112%"). */
export const percentText = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '∞');
