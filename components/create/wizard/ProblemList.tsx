'use client';
import { useT } from '../../i18n/I18nProvider';
import { ProblemMessage } from './fields';
import { pathLabel } from './labels';
import { isFormPath } from './steps';
import type { MessageParams } from './problem-text';

export interface ShownProblem {
  field?: string;
  message: string;
  line?: number;
  params?: MessageParams;
}

// Problems from the rules or the server; one that names a field of the form links to it.
export function ProblemList({ problems, onGoTo, testId }: { problems: readonly ShownProblem[]; onGoTo: (path: string) => void; testId?: string }) {
  const t = useT();
  if (!problems.length) return null;
  return (
    <ul className="list-disc pl-5 text-sm" data-testid={testId}>
      {problems.map((p, i) => (
        <li key={i}>
          {isFormPath(p.field) ? (
            <>
              <button type="button" className="text-left underline hover:no-underline" onClick={() => onGoTo(p.field!)}>
                {pathLabel(t, p.field!)}
              </button>
              {': '}
            </>
          ) : null}
          {p.line !== undefined ? `${t('create.cloudInit.line', { line: p.line })} ` : null}
          <ProblemMessage message={p.message} params={p.params} />
        </li>
      ))}
    </ul>
  );
}
