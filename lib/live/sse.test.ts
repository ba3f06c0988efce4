import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
  it('yields the data of complete events, across chunk boundaries, skipping comments', () => {
    const p = new SseParser();
    expect(p.push(': open\n\ndata: {"a"')).toEqual([]);
    expect(p.push(':1}\n')).toEqual([]);
    expect(p.push('\ndata: 2\r\n\r\n: ping\n\ndata:3\n\n')).toEqual(['{"a":1}', '2', '3']);
  });

  it('joins multi-line data and ignores other fields', () => {
    const p = new SseParser();
    expect(p.push('event: x\nid: 4\ndata: a\ndata: b\n\n')).toEqual(['a\nb']);
  });

  it('reads one long line delivered in many small chunks in linear time', () => {
    const p = new SseParser();
    const payload = 'x'.repeat(2_000_000);
    const text = `data: ${payload}\n\n`;
    const t0 = performance.now();
    let got: string[] = [];
    for (let i = 0; i < text.length; i += 1000) got = got.concat(p.push(text.slice(i, i + 1000)));
    expect(got).toEqual([payload]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
