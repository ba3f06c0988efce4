'use client';
import { yaml } from '@codemirror/lang-yaml';
import { forceLinting, linter, lintGutter } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef, type RefObject } from 'react';
import { positionOf, toDiagnostic } from './diagnostics';
import { parseManifests, type YamlProblem } from '@/lib/kubevirt/yaml-manifests';

// A controlled CodeMirror 6 editor for Kubernetes manifests, linted with the page's own checks (parseManifests) plus
// any problems the page passes in (the server's). Loaded only by the create-from-YAML page (next/dynamic), so no other
// page carries CodeMirror.
//
// Tab is deliberately not bound (no indentWithTab): it moves focus on, as everywhere else on the page, so a keyboard
// user is never trapped in the editor. Indentation is typed with spaces; Enter keeps the line's indentation.

export interface YamlEditorHandle {
  goToLine(line: number, column?: number): void;
  focus(): void;
}

export interface YamlEditorProps {
  value: string;
  onChange(value: string): void;
  // Problems found elsewhere (the server's dry run), shown beside the editor's own.
  problems?: YamlProblem[];
  // For the metadata.namespace check.
  namespace?: string;
  // The editor's accessible name.
  label: string;
  ariaDescribedBy?: string;
  // A plain object, not a ref prop: next/dynamic's wrapper does not forward refs.
  handle?: RefObject<YamlEditorHandle | null>;
}

const LINT_DELAY_MS = 400;

// Tailwind's palette through its theme variables, with the same colours as fallbacks.
const color = (name: string, fallback: string) => `var(--color-${name}, ${fallback})`;

const theme = EditorView.theme({
  '&': {
    height: 'min(65vh, 40rem)',
    minHeight: '16rem',
    backgroundColor: color('white', '#fff'),
    color: color('slate-900', '#0f172a'),
    border: `1px solid ${color('slate-300', '#cbd5e1')}`,
    borderRadius: '0.25rem',
    fontSize: '0.8125rem',
  },
  '&.cm-focused': { outline: `2px solid ${color('blue-600', '#2563eb')}`, outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: color('slate-50', '#f8fafc'), color: color('slate-600', '#475569'), borderRight: `1px solid ${color('slate-200', '#e2e8f0')}` },
  '.cm-activeLine': { backgroundColor: color('slate-100', '#f1f5f9') },
  '.cm-activeLineGutter': { backgroundColor: color('slate-200', '#e2e8f0'), color: color('slate-900', '#0f172a') },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: color('blue-200', '#bfdbfe') },
  '.cm-cursor': { borderLeftColor: color('slate-900', '#0f172a') },
  '.cm-tooltip': { border: `1px solid ${color('slate-300', '#cbd5e1')}`, backgroundColor: color('white', '#fff') },
});

function contentAttributes(label: string, describedBy: string | undefined) {
  return EditorView.contentAttributes.of({ 'aria-label': label, ...(describedBy ? { 'aria-describedby': describedBy } : {}) });
}

export function YamlEditor({ value, onChange, problems, namespace, label, ariaDescribedBy, handle }: YamlEditorProps) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const attributes = useRef(new Compartment());
  // Texts the editor has reported through onChange and the value prop has not caught up with yet.
  const echoes = useRef(new Set<string>());
  // Read by the callbacks CodeMirror holds on to, so they see the latest props without rebuilding the view.
  const latest = useRef({ onChange, problems, namespace });
  useEffect(() => {
    latest.current = { onChange, problems, namespace };
  });

  // One view per mounted editor; the props below are pushed into it, not used to rebuild it.
  useEffect(() => {
    if (!parent.current) return;
    const v = new EditorView({
      parent: parent.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          linter(
            (view) => {
              const doc = view.state.doc;
              const own = parseManifests(doc.toString(), { namespace: latest.current.namespace }).problems;
              return [...own, ...(latest.current.problems ?? [])].map((p) => toDiagnostic(doc, p));
            },
            { delay: LINT_DELAY_MS },
          ),
          theme,
          attributes.current.of(contentAttributes(label, ariaDescribedBy)),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            const text = u.state.doc.toString();
            echoes.current.add(text);
            latest.current.onChange(text);
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Created once: value, label and the rest reach the view through the effects below.
  }, []);

  // A value from outside (the template, the wizard's hand-over, a namespace switch) replaces the text. A value the
  // editor itself reported is only an echo: when React commits it late (the user has typed on since), writing it
  // back would undo their last keystrokes.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current === value) echoes.current.clear();
    else if (!echoes.current.has(value)) {
      echoes.current.clear();
      v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: attributes.current.reconfigure(contentAttributes(label, ariaDescribedBy)) });
  }, [label, ariaDescribedBy]);

  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [problems, namespace]);

  useEffect(() => {
    if (!handle) return;
    handle.current = {
      goToLine(line, column) {
        const v = view.current;
        if (!v) return;
        const pos = positionOf(v.state.doc, line, column);
        v.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
        v.focus();
      },
      focus() {
        view.current?.focus();
      },
    };
    return () => {
      handle.current = null;
    };
  }, [handle]);

  return <div ref={parent} data-testid="yaml-editor" translate="no" />;
}
