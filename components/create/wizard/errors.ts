// react-hook-form's nested error tree as a flat list of dotted paths, in the order the form model lists them, so a
// step can summarise its problems and a summary can move focus to the field. An array's own error (a rule about
// the list as a whole, RHF's "root") is the array's path; a form-level one is "".

export interface FlatError {
  path: string;
  message: string;
  type?: string;
}

const META = new Set(['message', 'type', 'ref', 'types']);

export function flattenErrors(errors: unknown, prefix = ''): FlatError[] {
  const out: FlatError[] = [];
  const seen = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const leaf = node as { message?: unknown; type?: unknown };
    if (typeof leaf.message === 'string' || typeof leaf.type === 'string') {
      const key = `${path}\u0000${String(leaf.message ?? '')}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ path, message: typeof leaf.message === 'string' ? leaf.message : '', ...(typeof leaf.type === 'string' ? { type: leaf.type } : {}) });
      }
    }
    for (const [k, v] of Object.entries(node)) {
      if (META.has(k)) continue;
      const next = k === 'root' && path !== '' ? path : path === '' ? k : `${path}.${k}`;
      walk(v, next);
    }
  };
  walk(errors, prefix);
  return out;
}

/** The errors at `path` or under it. */
export function errorsUnder(list: readonly FlatError[], path: string): FlatError[] {
  return list.filter((e) => e.path === path || e.path.startsWith(`${path}.`));
}
