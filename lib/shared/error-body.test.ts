import { describe, expect, it } from 'vitest';
import { errorOfBody } from './error-body';

describe('errorOfBody', () => {
  it('reads the portal error shape', () => {
    expect(errorOfBody({ error: { code: 'forbidden', message: 'no', details: { verb: 'get' } } })).toEqual({ code: 'forbidden', message: 'no', details: { verb: 'get' } });
    expect(errorOfBody({ error: { code: 'gone' } })).toEqual({ code: 'gone', message: '' });
  });
  it.each([undefined, null, 'text', {}, { error: 'x' }, { error: { code: '' } }, { error: { code: 7, message: 'm' } }])('is undefined for %j', (body) =>
    expect(errorOfBody(body)).toBeUndefined(),
  );
});
