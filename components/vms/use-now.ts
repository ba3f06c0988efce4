'use client';
import { useEffect, useState } from 'react';

// A clock for relative times (ages) that ticks slowly, so 10,000 rows do not re-render every second.
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
