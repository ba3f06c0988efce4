import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-after.ts';

describe('retryDelayMs', () => {
  it('waits the seconds a 429 asks for', () => {
    expect(retryDelayMs(429, '1')).toBe(1000);
    expect(retryDelayMs(429, ['3'])).toBe(3000);
  });

  it('retries 500 to 504 only when the server says when', () => {
    expect(retryDelayMs(503, '2')).toBe(2000);
    expect(retryDelayMs(503, undefined)).toBeUndefined();
    expect(retryDelayMs(505, '2')).toBeUndefined();
  });

  it('does not retry other answers, even with the header', () => {
    expect(retryDelayMs(404, '1')).toBeUndefined();
    expect(retryDelayMs(409, '1')).toBeUndefined();
    expect(retryDelayMs(200, '1')).toBeUndefined();
  });

  it('takes one second for a header that is not a number of seconds', () => {
    expect(retryDelayMs(429, 'Wed, 21 Oct 2026 07:28:00 GMT')).toBe(1000);
  });
});
