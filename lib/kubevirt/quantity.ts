// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) to numbers. The one parser of the project:
// the portal reads them for display and sorting, the sandbox's simulator for sizes, memory and CPU, so this module
// stays pure and imports nothing (tests/walls.test.ts holds it to that).

/** Binary suffixes as powers of two. */
const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** Decimal SI suffixes as powers of ten ("" is none). Kilo is "k": Kubernetes has no "K". */
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
// A signed decimal, then one binary suffix, decimal exponent or SI suffix. "1E" is exa; "1E3" is an exponent.
const syntax = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|([numkMGTPE]))?$/;

// The power of ten is applied to the decimal text rather than multiplied in, so "1.1G" is 1100000000 and "1100m"
// in thousandths is 1100, not a float a hair above that which a ceiling would turn into the next integer.
function scaled(q: unknown, exponent: number): number | undefined {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    text = String(q);
  } else if (typeof q === 'string') {
    text = q.trim();
  } else {
    return undefined;
  }
  const m = syntax.exec(text);
  if (!m) return undefined;
  const [, mantissa, bin, exp, dec] = m;
  if (bin) return Number(`${mantissa}e${exponent}`) * 2 ** binary[bin]!;
  const power = exp !== undefined ? Number(exp) : decimal[dec ?? '']!;
  return Number(`${mantissa}e${power + exponent}`);
}

/**
 * The value of a quantity: a string in Kubernetes' syntax ("128Mi", "1.5G", "500m", "1e3", "-2") or a finite
 * number, as is. Undefined when absent or malformed; callers choose what that means to them.
 */
export const parseQuantity = (q: unknown): number | undefined => scaled(q, 0);

/** The value in thousandths (Quantity.MilliValue() before its rounding up): millicores for a CPU quantity. */
export const parseMilliQuantity = (q: unknown): number | undefined => scaled(q, 3);

// Bytes as the largest binary unit with at most one decimal: 134217728 → "128 MiB".
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
