// Quantities the simulator turns into whole bytes or millicores: guest memory, volume sizes, migration bandwidth.
// They come from objects the API server has validated, so a malformed one is a simulator bug and throws rather than
// quietly sizing something at zero; an absent one is zero.
import { parseMilliQuantity, parseQuantity } from '../../../lib/kubevirt/quantity.ts';

export function wholeQuantity(q: string | number | undefined, milli = false): number {
  if (q === undefined) return 0;
  const v = milli ? parseMilliQuantity(q) : parseQuantity(q);
  if (v === undefined) throw new Error(`bad quantity ${String(q).trim()}`);
  return Math.round(v);
}
