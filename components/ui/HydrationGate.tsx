'use client';
import type { ReactNode } from 'react';
import { useHydrated } from './use-hydrated';

// Every control of a page the server renders, disabled until the page's script has run (links still work: they need
// no script). Before that a click does nothing, what a user types is overwritten when a form library takes its field
// over, and a submit reloads the page with the fields in its address. `display: contents` keeps the page's layout.
export function HydrationGate({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset disabled={!hydrated} className="contents" data-testid="hydration-gate" data-hydrated={hydrated}>
      {children}
    </fieldset>
  );
}
