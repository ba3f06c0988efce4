import { describe, expect, it } from 'vitest';
import { describeClose } from './describe';
import { en } from '../../messages/en';
import { ConsoleClose } from '../shared/console-protocol';

describe('describeClose', () => {
  it('has a message for every close code, and keeps the words sent with it', () => {
    for (const code of [...Object.values(ConsoleClose), 1006, 1234]) {
      const d = describeClose({ code, reason: 'VMI is not running' });
      expect(en[d.key]).toBeTruthy();
    }
    expect(describeClose({ code: ConsoleClose.REFUSED_BAD_REQUEST, reason: 'VMI is not running' })).toEqual({ key: 'console.reason.notReady', detail: 'VMI is not running' });
    expect(describeClose({ code: 1006, reason: '' })).toEqual({ key: 'console.reason.network' });
    expect(describeClose({ code: ConsoleClose.WRONG_ORIGIN, reason: 'https://portal.example.com' })).toEqual({ key: 'console.reason.wrongOrigin', vars: { origin: 'https://portal.example.com' } });
  });
});
