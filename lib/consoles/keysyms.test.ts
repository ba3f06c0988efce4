import { describe, expect, it } from 'vitest';
import { MAX_TYPED_CHARS, XK, charKeysym, ctrlAltDel, ctrlAltFunctionKey, functionKeysym, isLayoutId, planTyping, strokeEvents } from './keysyms';

const keysOf = (text: string, layout: 'us' | 'de') => planTyping(text, layout).strokes.map((s) => [s.code, s.shift ? 'S' : '', s.altgr ? 'G' : '', s.dead ? 'D' : ''].join(''));

describe('keysyms', () => {
  it('has the X11 keysyms of F1..F12 and refuses others', () => {
    expect(functionKeysym(1)).toBe(0xffbe);
    expect(functionKeysym(12)).toBe(0xffc9);
    expect(() => functionKeysym(0)).toThrow(RangeError);
    expect(() => functionKeysym(13)).toThrow(RangeError);
  });

  it('gives Latin-1 characters their code point, the euro sign its keysym, others a Unicode keysym', () => {
    expect(charKeysym('a')).toBe(0x61);
    expect(charKeysym('~')).toBe(0x7e);
    expect(charKeysym('ß')).toBe(0xdf);
    expect(charKeysym('€')).toBe(0x20ac);
    expect(charKeysym('中')).toBe(0x01004e2d);
    expect(charKeysym('😀')).toBe(0x0101f600);
  });

  it('sends Ctrl+Alt+Del as noVNC does: Control, Alt, Delete down, then up in reverse', () => {
    expect(ctrlAltDel()).toEqual([
      { keysym: XK.Control_L, code: 'ControlLeft', down: true },
      { keysym: XK.Alt_L, code: 'AltLeft', down: true },
      { keysym: XK.Delete, code: 'Delete', down: true },
      { keysym: XK.Delete, code: 'Delete', down: false },
      { keysym: XK.Alt_L, code: 'AltLeft', down: false },
      { keysym: XK.Control_L, code: 'ControlLeft', down: false },
    ]);
  });

  it('sends Ctrl+Alt+F<n> with the physical F key', () => {
    const ev = ctrlAltFunctionKey(2);
    expect(ev.map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual(['ControlLeft↓', 'AltLeft↓', 'F2↓', 'F2↑', 'AltLeft↑', 'ControlLeft↑']);
    expect(ev[2]!.keysym).toBe(0xffbf);
  });

  it('knows its layouts', () => {
    expect(isLayoutId('us')).toBe(true);
    expect(isLayoutId('de')).toBe(true);
    expect(isLayoutId('fr')).toBe(false);
    expect(isLayoutId(undefined)).toBe(false);
  });
});

describe('planTyping, US layout', () => {
  it('types letters, digits and symbols with Shift where the US keyboard needs it', () => {
    expect(keysOf('aZ1!@', 'us')).toEqual(['KeyA', 'KeyZS', 'Digit1', 'Digit1S', 'Digit2S']);
    expect(keysOf('[]{}\\|;:\'",.<>/?`~-_=+', 'us')).toEqual([
      'BracketLeft', 'BracketRight', 'BracketLeftS', 'BracketRightS', 'Backslash', 'BackslashS', 'Semicolon', 'SemicolonS',
      'Quote', 'QuoteS', 'Comma', 'Period', 'CommaS', 'PeriodS', 'Slash', 'SlashS', 'Backquote', 'BackquoteS', 'Minus', 'MinusS', 'Equal', 'EqualS',
    ]);
  });

  it('can type every printable ASCII character', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    const plan = planTyping(ascii, 'us');
    expect(plan.unsupported).toEqual([]);
    expect(plan.strokes).toHaveLength(ascii.length);
    for (const s of plan.strokes) expect(s.keysym).toBe(s.char.charCodeAt(0));
  });

  it('turns line ends into Enter and a tab into Tab, and lists what it cannot type once each', () => {
    const plan = planTyping('a\r\nb\rc\n\td ü€ü', 'us');
    expect(plan.strokes.map((s) => s.code)).toEqual(['KeyA', 'Enter', 'KeyB', 'Enter', 'KeyC', 'Enter', 'Tab', 'KeyD', 'Space']);
    expect(plan.strokes[1]!.keysym).toBe(XK.Return);
    expect(plan.unsupported).toEqual(['ü', '€']);
  });

  it('treats a character outside the basic plane as one character', () => {
    expect(planTyping('a😀b', 'us').unsupported).toEqual(['😀']);
  });
});

describe('planTyping, German layout', () => {
  it('swaps Y and Z and has the umlauts and ß', () => {
    expect(keysOf('zyZYüÖäß', 'de')).toEqual(['KeyY', 'KeyZ', 'KeyYS', 'KeyZS', 'BracketLeft', 'SemicolonS', 'Quote', 'Minus']);
  });

  it('puts the shifted digits and AltGr symbols where a German keyboard has them', () => {
    expect(keysOf('"§/()=?', 'de')).toEqual(['Digit2S', 'Digit3S', 'Digit7S', 'Digit8S', 'Digit9S', 'Digit0S', 'MinusS']);
    expect(keysOf('@€{[]}\\~|µ²³', 'de')).toEqual(['KeyQG', 'KeyEG', 'Digit7G', 'Digit8G', 'Digit9G', 'Digit0G', 'MinusG', 'BracketRightG', 'IntlBackslashG', 'KeyMG', 'Digit2G', 'Digit3G']);
    expect(keysOf("+*#'<>,;.:-_", 'de')).toEqual(['BracketRight', 'BracketRightS', 'Backslash', 'BackslashS', 'IntlBackslash', 'IntlBackslashS', 'Comma', 'CommaS', 'Period', 'PeriodS', 'Slash', 'SlashS']);
  });

  it('presses a dead key and then Space for ^ ´ `', () => {
    expect(keysOf('^´`°', 'de')).toEqual(['BackquoteD', 'EqualD', 'EqualSD', 'BackquoteS']);
    const caret = planTyping('^', 'de').strokes[0]!;
    expect(strokeEvents(caret)).toEqual([
      { keysym: XK.dead_circumflex, code: 'Backquote', down: true },
      { keysym: XK.dead_circumflex, code: 'Backquote', down: false },
      { keysym: XK.space, code: 'Space', down: true },
      { keysym: XK.space, code: 'Space', down: false },
    ]);
  });

  it('can type every printable ASCII character too', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(planTyping(ascii, 'de').unsupported).toEqual([]);
  });
});

describe('strokeEvents', () => {
  it('holds Shift and AltGr around the key and releases them in reverse order', () => {
    expect(strokeEvents({ char: 'A', keysym: 0x41, code: 'KeyA', shift: true })).toEqual([
      { keysym: XK.Shift_L, code: 'ShiftLeft', down: true },
      { keysym: 0x41, code: 'KeyA', down: true },
      { keysym: 0x41, code: 'KeyA', down: false },
      { keysym: XK.Shift_L, code: 'ShiftLeft', down: false },
    ]);
    const at = strokeEvents(planTyping('@', 'de').strokes[0]!);
    expect(at.map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual(['AltRight↓', 'KeyQ↓', 'KeyQ↑', 'AltRight↑']);
    expect(at[0]!.keysym).toBe(XK.ISO_Level3_Shift);
    expect(at[1]!.keysym).toBe(0x40);
    const both = strokeEvents({ char: 'x', keysym: 1, code: 'KeyX', shift: true, altgr: true });
    expect(both.map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual(['ShiftLeft↓', 'AltRight↓', 'KeyX↓', 'KeyX↑', 'AltRight↑', 'ShiftLeft↑']);
  });

  it('has a cap on what is typed at once', () => {
    expect(MAX_TYPED_CHARS).toBeGreaterThan(1000);
  });
});
