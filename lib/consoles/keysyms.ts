// Keys for the VNC console: X11 keysyms, and text turned into key presses on a chosen keyboard layout.
//
// noVNC's rfb.sendKey(keysym, code, down) sends, when the server speaks QEMU's extended key events (QEMU's VNC server
// does), the physical key's scan code (from `code`, a KeyboardEvent.code name) together with the keysym; the guest
// then turns the scan code into a character with ITS OWN keyboard layout. So typing text means pressing, for each
// character, the physical key (plus Shift / AltGr) that gives it on the guest's layout; that is what a layout below
// says. The keysym travels along for servers that only take keysyms. Pure: no DOM, no noVNC.

/** X11 keysyms used here (X11/keysymdef.h). */
export const XK = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  Delete: 0xffff,
  Shift_L: 0xffe1,
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  ISO_Level3_Shift: 0xfe03, // AltGr
  dead_grave: 0xfe50,
  dead_acute: 0xfe51,
  dead_circumflex: 0xfe52,
  space: 0x20,
  EuroSign: 0x20ac,
  F1: 0xffbe, // F1..F12 are consecutive
} as const;

/** The keysym of F1..F12. */
export function functionKeysym(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`no function key F${n}`);
  return XK.F1 + n - 1;
}

/**
 * The keysym of a character: Latin-1 characters are their own code point, the euro sign has its legacy keysym, and
 * any other character is a Unicode keysym (0x01000000 + code point).
 */
export function charKeysym(ch: string): number {
  const cp = ch.codePointAt(0);
  if (cp === undefined) throw new RangeError('empty character');
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  if (cp === 0x20ac) return XK.EuroSign;
  return 0x01000000 + cp;
}

/** One key event as rfb.sendKey(keysym, code, down) takes it. */
export interface KeyEvent {
  keysym: number;
  code: string;
  down: boolean;
}

/** What to press for one character: a physical key, with Shift and/or AltGr held; a dead key is followed by Space. */
export interface Stroke {
  char: string;
  keysym: number;
  code: string;
  shift?: boolean;
  altgr?: boolean;
  dead?: boolean;
}

type KeyDef = { code: string; shift?: boolean; altgr?: boolean; dead?: number };

export const LAYOUTS = ['us', 'de'] as const;
export type LayoutId = (typeof LAYOUTS)[number];

export function isLayoutId(v: unknown): v is LayoutId {
  return typeof v === 'string' && (LAYOUTS as readonly string[]).includes(v);
}

/** Adds a row of keys: the character each gives plain, with Shift, and with AltGr (undefined: nothing there). */
function row(map: Map<string, KeyDef>, keys: [code: string, plain?: string, shifted?: string, altgr?: string][]) {
  for (const [code, plain, shifted, altgr] of keys) {
    if (plain && !map.has(plain)) map.set(plain, { code });
    if (shifted && !map.has(shifted)) map.set(shifted, { code, shift: true });
    if (altgr && !map.has(altgr)) map.set(altgr, { code, altgr: true });
  }
}

function letters(map: Map<string, KeyDef>, codesToLetters: Record<string, string>) {
  for (const [code, letter] of Object.entries(codesToLetters)) {
    map.set(letter, { code });
    map.set(letter.toUpperCase(), { code, shift: true });
  }
}

const qwerty: Record<string, string> = Object.fromEntries([...'abcdefghijklmnopqrstuvwxyz'].map((c) => [`Key${c.toUpperCase()}`, c]));

/** US (ANSI, QWERTY). */
function usLayout(): Map<string, KeyDef> {
  const m = new Map<string, KeyDef>();
  letters(m, qwerty);
  row(m, [
    ['Backquote', '`', '~'],
    ['Digit1', '1', '!'],
    ['Digit2', '2', '@'],
    ['Digit3', '3', '#'],
    ['Digit4', '4', '$'],
    ['Digit5', '5', '%'],
    ['Digit6', '6', '^'],
    ['Digit7', '7', '&'],
    ['Digit8', '8', '*'],
    ['Digit9', '9', '('],
    ['Digit0', '0', ')'],
    ['Minus', '-', '_'],
    ['Equal', '=', '+'],
    ['BracketLeft', '[', '{'],
    ['BracketRight', ']', '}'],
    ['Backslash', '\\', '|'],
    ['Semicolon', ';', ':'],
    ['Quote', "'", '"'],
    ['Comma', ',', '<'],
    ['Period', '.', '>'],
    ['Slash', '/', '?'],
  ]);
  return m;
}

/** German (ISO, QWERTZ, Linux/Windows "de" with dead keys: ^ on the key left of 1, ´ and ` on the key left of Backspace). */
function deLayout(): Map<string, KeyDef> {
  const m = new Map<string, KeyDef>();
  letters(m, { ...qwerty, KeyY: 'z', KeyZ: 'y' });
  m.set('ü', { code: 'BracketLeft' });
  m.set('Ü', { code: 'BracketLeft', shift: true });
  m.set('ö', { code: 'Semicolon' });
  m.set('Ö', { code: 'Semicolon', shift: true });
  m.set('ä', { code: 'Quote' });
  m.set('Ä', { code: 'Quote', shift: true });
  // dead keys: pressed, then Space gives the character itself
  m.set('^', { code: 'Backquote', dead: XK.dead_circumflex });
  m.set('´', { code: 'Equal', dead: XK.dead_acute });
  m.set('`', { code: 'Equal', shift: true, dead: XK.dead_grave });
  row(m, [
    ['Backquote', undefined, '°'],
    ['Digit1', '1', '!'],
    ['Digit2', '2', '"', '²'],
    ['Digit3', '3', '§', '³'],
    ['Digit4', '4', '$'],
    ['Digit5', '5', '%'],
    ['Digit6', '6', '&'],
    ['Digit7', '7', '/', '{'],
    ['Digit8', '8', '(', '['],
    ['Digit9', '9', ')', ']'],
    ['Digit0', '0', '=', '}'],
    ['Minus', 'ß', '?', '\\'],
    ['KeyQ', undefined, undefined, '@'],
    ['KeyE', undefined, undefined, '€'],
    ['KeyM', undefined, undefined, 'µ'],
    ['BracketRight', '+', '*', '~'],
    ['Backslash', '#', "'"], // ISO: the key left of Enter
    ['IntlBackslash', '<', '>', '|'], // ISO: the key right of left Shift
    ['Comma', ',', ';'],
    ['Period', '.', ':'],
    ['Slash', '-', '_'],
  ]);
  return m;
}

const common = (m: Map<string, KeyDef>) => {
  m.set(' ', { code: 'Space' });
  return m;
};

const layouts: Record<LayoutId, Map<string, KeyDef>> = { us: common(usLayout()), de: common(deLayout()) };

/** At most this many characters are typed at once (a paste is a stream the guest has to keep up with). */
export const MAX_TYPED_CHARS = 10_000;

export interface TypingPlan {
  strokes: Stroke[];
  /** Characters the layout cannot produce, each once, in order of appearance; they are skipped. */
  unsupported: string[];
}

/** Text as strokes on a layout. Line ends (\n, \r\n, \r) are Enter, a tab is Tab. */
export function planTyping(text: string, layoutId: LayoutId): TypingPlan {
  const layout = layouts[layoutId];
  const strokes: Stroke[] = [];
  const unsupported: string[] = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  for (const ch of normalized) {
    if (ch === '\n') {
      strokes.push({ char: ch, keysym: XK.Return, code: 'Enter' });
      continue;
    }
    if (ch === '\t') {
      strokes.push({ char: ch, keysym: XK.Tab, code: 'Tab' });
      continue;
    }
    const def = layout.get(ch);
    if (!def) {
      if (!unsupported.includes(ch)) unsupported.push(ch);
      continue;
    }
    strokes.push({
      char: ch,
      keysym: def.dead ?? charKeysym(ch),
      code: def.code,
      ...(def.shift ? { shift: true } : {}),
      ...(def.altgr ? { altgr: true } : {}),
      ...(def.dead ? { dead: true } : {}),
    });
  }
  return { strokes, unsupported };
}

const press = (keysym: number, code: string): KeyEvent[] => [
  { keysym, code, down: true },
  { keysym, code, down: false },
];

/** The key events of one stroke: modifiers down, the key down and up, modifiers up (reverse order), Space after a dead key. */
export function strokeEvents(s: Stroke): KeyEvent[] {
  const mods: { keysym: number; code: string }[] = [];
  if (s.shift) mods.push({ keysym: XK.Shift_L, code: 'ShiftLeft' });
  if (s.altgr) mods.push({ keysym: XK.ISO_Level3_Shift, code: 'AltRight' });
  return [
    ...mods.map((m) => ({ ...m, down: true })),
    ...press(s.keysym, s.code),
    ...[...mods].reverse().map((m) => ({ ...m, down: false })),
    ...(s.dead ? press(XK.space, 'Space') : []),
  ];
}

/** Holds the modifiers, presses the key, releases in reverse order. */
export function chord(modifiers: { keysym: number; code: string }[], key: { keysym: number; code: string }): KeyEvent[] {
  return [...modifiers.map((m) => ({ ...m, down: true })), ...press(key.keysym, key.code), ...[...modifiers].reverse().map((m) => ({ ...m, down: false }))];
}

const ctrl = { keysym: XK.Control_L, code: 'ControlLeft' };
const alt = { keysym: XK.Alt_L, code: 'AltLeft' };

/** Ctrl+Alt+F<n> (switch virtual terminal on a Linux guest). */
export function ctrlAltFunctionKey(n: number): KeyEvent[] {
  return chord([ctrl, alt], { keysym: functionKeysym(n), code: `F${n}` });
}

/** Ctrl+Alt+Del as the same events noVNC's sendCtrlAltDel() sends. */
export function ctrlAltDel(): KeyEvent[] {
  return chord([ctrl, alt], { keysym: XK.Delete, code: 'Delete' });
}
