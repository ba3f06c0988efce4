import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRD_FILE, generateValidator, OUTPUT_FILE, RUN_STRATEGIES } from '../../../scripts/generate-vm-validator';
import validate from './virtualmachine-validator.generated.js';

const committed = readFileSync(OUTPUT_FILE, 'utf8');

describe('generated VirtualMachine validator', () => {
  // Compiling the whole VirtualMachine schema is seconds of CPU (3.7 s alone on this 2-core machine), not a wait on
  // anything: the unit default of 5 s is no measure of it, and a loaded CI machine stretched it past that.
  it('is what the generator makes from the committed CRD (run npm run generate:vm-validator after a CRD change)', { timeout: 60_000 }, () => {
    expect(generateValidator(readFileSync(CRD_FILE, 'utf8')) === committed).toBe(true);
  });

  it('builds no code at run time (the production CSP has no unsafe-eval)', () => {
    expect(committed).not.toMatch(/new\s+Function|\beval\s*\(/);
    expect(committed).not.toMatch(/\brequire\s*\(/);
  });

  it('stays small enough to ship to the browser', () => {
    expect(Buffer.byteLength(committed)).toBeLessThan(1_500_000);
  });

  const vm = (spec: Record<string, unknown>) => ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'a' }, spec });
  const template = { spec: { domain: { devices: {} } } };

  it('accepts a minimal VM and reports wrong types, missing fields, unknown run strategies and unknown fields', () => {
    expect(validate(vm({ runStrategy: 'Always', template }))).toBe(true);
    expect(validate.errors).toBeNull();

    expect(validate(vm({ runStrategy: 'Sometimes', runStategy: 'x', template: { spec: { domain: { cpu: { cores: 'two' } } } } }))).toBe(false);
    const errors = (validate.errors ?? []).map((e) => [e.instancePath, e.keyword]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['/spec', 'additionalProperties'],
        ['/spec/runStrategy', 'enum'],
        ['/spec/template/spec/domain', 'required'],
        ['/spec/template/spec/domain/cpu/cores', 'type'],
      ]),
    );
    expect(validate.errors?.find((e) => e.keyword === 'enum')?.params).toEqual({ allowedValues: RUN_STRATEGIES });
  });

  it('ignores status, which the API server drops on create', () => {
    expect(validate({ ...vm({ runStrategy: 'Always', template }), status: { printableStatus: 42 } })).toBe(true);
  });
});
