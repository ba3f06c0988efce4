// A small reader of the Prometheus text exposition format (version 0.0.4, and the OpenMetrics text that is close
// enough to it): `name{label="value",...} value [timestamp]` per line, `#` lines are comments (HELP, TYPE, EOF).
// Pure, and only as much as reading a few gauges needs: samples of the metrics asked for, with their labels and
// value. A line it cannot read is skipped, not fatal: one odd metric must not hide the others.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

// The special values in any case, as Prometheus reads them (Go's ParseFloat): prom-client writes a gauge that has
// no figure yet as `Nan`.
function parseValue(s: string): number | undefined {
  const special = /^([-+]?)(nan|inf|infinity)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] ? undefined : NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** `{a="x",b="y\"z"}` from position i (at the `{`): the labels and the position after `}`, or undefined. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  i++; // {
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = LABEL.exec(line.slice(i));
    if (!m) return undefined;
    const key = m[0];
    i += key.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') return undefined;
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') return undefined;
    i++;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const n = line[i + 1];
        value += n === 'n' ? '\n' : n === '\\' ? '\\' : n === '"' ? '"' : `\\${n ?? ''}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++; // closing quote
    labels[key] = value;
    while (line[i] === ' ') i++;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') return undefined;
  }
}

/** One sample line, or undefined for a comment, a blank line or a line that is not a sample. */
export function parseSampleLine(raw: string): Sample | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const m = NAME.exec(line);
  if (!m) return undefined;
  const name = m[0];
  let i = name.length;
  let labels: Record<string, string> = {};
  if (line[i] === '{') {
    const l = parseLabels(line, i);
    if (!l) return undefined;
    labels = l.labels;
    i = l.end;
  }
  if (line[i] !== ' ' && line[i] !== '\t') return undefined;
  const [valueText] = line.slice(i).trim().split(/\s+/);
  const value = parseValue(valueText ?? '');
  return value === undefined ? undefined : { name, labels, value };
}

/**
 * The samples of the metrics named in `names` (all of them when no names are given). Lines of other metrics are
 * passed over by their first characters only, so a large endpoint costs little more than reading it.
 */
export function parseExposition(text: string, names?: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to);
    from = to + 1;
    if (names) {
      const m = NAME.exec(line.trimStart());
      if (!m || !names.has(m[0])) continue;
    }
    const s = parseSampleLine(line);
    if (s && (!names || names.has(s.name))) out.push(s);
  }
  return out;
}
