'use client';
import { usedShare } from '@/lib/kubevirt/quota-usage';

const pct = (share: number) => Math.min(100, Math.max(0, share * 100));

// One resource of a quota as a bar: what is used, and (in the wizard) what a new VM would add after it. The bar is a
// meter for assistive technology, with the numbers in words; the tone is never the only sign, as the numbers and
// the "over" text beside it say the same.
export function QuotaBar({ used, adds = 0, hard, label, valueText, testId }: { used: number; adds?: number; hard: number; label: string; valueText: string; testId?: string }) {
  const now = usedShare(used, hard);
  const after = usedShare(used + adds, hard);
  const tone = after > 1 ? 'bg-red-600' : after >= 0.9 ? 'bg-amber-500' : 'bg-sky-600';
  const max = hard > 0 ? hard : 1;
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(max, used + adds)}
      aria-valuetext={valueText}
      data-testid={testId}
      data-share={Number.isFinite(after) ? after.toFixed(3) : 'inf'}
      className="relative h-2.5 w-full min-w-20 overflow-hidden rounded bg-slate-200"
    >
      <div className={`absolute inset-y-0 left-0 ${tone}`} style={{ width: `${pct(now)}%` }} />
      {adds > 0 ? (
        <div
          className={`absolute inset-y-0 ${after > 1 ? 'bg-red-300' : 'bg-sky-300'} bg-[repeating-linear-gradient(45deg,transparent_0,transparent_3px,rgba(255,255,255,0.6)_3px,rgba(255,255,255,0.6)_6px)]`}
          style={{ left: `${pct(now)}%`, width: `${Math.max(0, pct(after) - pct(now))}%` }}
        />
      ) : null}
    </div>
  );
}
