import { Fragment, type ReactNode } from 'react';

// A translated template with React nodes in its placeholders, so data inside a sentence (a VM name, a user name)
// can carry translate="no" while the sentence around it is translated.
export function interpolate(template: string, vars: Record<string, ReactNode>): ReactNode {
  const parts = template.split(/\{(\w+)\}/);
  return parts.map((part, i) => (i % 2 === 1 ? <Fragment key={i}>{part in vars ? vars[part] : `{${part}}`}</Fragment> : part));
}

// Data that must not be translated (names, addresses, the API server's own words). The e2e language check skips
// exactly these elements.
export function Data({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span translate="no" className={className}>
      {children}
    </span>
  );
}
