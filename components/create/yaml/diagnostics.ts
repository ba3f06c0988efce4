import type { Text } from '@codemirror/state';
import type { Diagnostic } from '@codemirror/lint';
import type { YamlProblem } from '@/lib/kubevirt/yaml-manifests';

// A problem as CodeMirror's linter marks it: from its column (or the line's start) to the end of its line. A line
// past the end (the server's problems after the text shrank) is put on the last line rather than dropped.
export function toDiagnostic(doc: Text, p: YamlProblem): Diagnostic {
  const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
  const from = p.column ? Math.min(line.from + p.column - 1, line.to) : line.from;
  return { from, to: Math.max(from, line.to), severity: p.severity, message: p.message };
}

/** The document position of a problem's line and column, for moving the cursor there. */
export function positionOf(doc: Text, line: number, column?: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return column ? Math.min(l.from + column - 1, l.to) : l.from;
}
