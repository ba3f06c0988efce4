// stripManagedFields (trim.ts) for a list that arrives in chunks: the list route passes the API server's body on as
// it comes, so a managedFields key or value may be cut anywhere by a chunk boundary. The same rule as trim.ts: an
// unescaped `"managedFields":` after `{` or `,` and followed by a list or object is ObjectMeta's key.

const KEY = Buffer.from('"managedFields":');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class ManagedFieldsStripper {
  // Bytes not decided yet: the tail of a chunk that may begin a key (with the byte before it), or a key whose value
  // has not started within the chunk.
  private carry: Buffer | undefined;
  // Inside a value being dropped, across chunks.
  private skipping = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  // After a dropped first key (`{"managedFields":[…],`), the comma after its value goes too.
  private dropComma = false;

  /** The parts of `chunk` to pass on, in order: views into it where possible. */
  push(chunk: Buffer): Buffer[] {
    const b = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const out: Buffer[] = [];
    let from = 0; // first byte neither passed on nor dropped
    let pos = 0; // where the search goes on
    for (;;) {
      if (this.skipping) {
        const end = this.skipValue(b, pos);
        if (end < 0) return out;
        this.skipping = false;
        from = pos = end;
      }
      if (this.dropComma) {
        if (pos >= b.length) return out;
        this.dropComma = false;
        if (b[pos] === COMMA) from = pos = pos + 1;
      }
      const at = b.indexOf(KEY, pos);
      if (at < 0) {
        // A key cut by the boundary is at most KEY.length - 1 bytes, plus the comma before it.
        this.hold(b, from, Math.max(from, b.length - KEY.length), out);
        return out;
      }
      const before = at > 0 ? b[at - 1] : undefined;
      let start = at + KEY.length;
      while (isSpace(b[start])) start++;
      if (start >= b.length) {
        this.hold(b, from, Math.max(from, at - 1), out);
        return out;
      }
      if ((before !== COMMA && before !== LBRACE) || (b[start] !== LBRACKET && b[start] !== LBRACE)) {
        pos = at + 1;
        continue;
      }
      const cut = before === COMMA ? at - 1 : at;
      if (cut > from) out.push(b.subarray(from, cut));
      this.dropComma = before === LBRACE;
      this.skipping = true;
      this.depth = 0;
      this.inString = false;
      this.escaped = false;
      pos = start;
    }
  }

  /** The bytes held back at the end of the body. Throws if the body ended inside a dropped value. */
  end(): Buffer[] {
    if (this.skipping) throw new Error('the list ended inside a managedFields value');
    const rest = this.carry;
    this.carry = undefined;
    return rest?.length ? [rest] : [];
  }

  private hold(b: Buffer, from: number, keep: number, out: Buffer[]) {
    if (keep > from) out.push(b.subarray(from, keep));
    // A copy: the carry is small, and a view would pin the whole chunk.
    if (keep < b.length) this.carry = Buffer.from(b.subarray(keep));
  }

  /** Index just past the dropped value, or -1 when it goes on past `b`. */
  private skipValue(b: Buffer, i: number): number {
    for (; i < b.length; i++) {
      const c = b[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === LBRACKET || c === LBRACE) this.depth++;
      else if (c === 0x5d || c === 0x7d) {
        if (--this.depth === 0) return i + 1;
      }
    }
    return -1;
  }
}
