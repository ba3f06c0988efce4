import { describe, expect, it } from 'vitest';
import { RestartOptions, StartOptions, StopOptions, decodeBody, parseSubresourcePath, unmarshalErrorMessage } from './request.ts';

describe('parseSubresourcePath', () => {
  it('parses a VM subresource under v1', () => {
    expect(parseSubresourcePath('/apis/subresources.kubevirt.io/v1/namespaces/ns1/virtualmachines/vm1/start')).toEqual({
      group: 'subresources.kubevirt.io',
      version: 'v1',
      namespace: 'ns1',
      resource: 'virtualmachines',
      name: 'vm1',
      subresource: 'start',
      authSubresource: 'start',
    });
  });

  it('parses the same routes under v1alpha3 and ignores the query', () => {
    const p = parseSubresourcePath('/apis/subresources.kubevirt.io/v1alpha3/namespaces/ns1/virtualmachineinstances/vmi1/console?x=1');
    expect(p?.version).toBe('v1alpha3');
    expect(p?.resource).toBe('virtualmachineinstances');
    expect(p?.subresource).toBe('console');
  });

  it('keeps vnc/screenshot whole but authorizes it as vnc', () => {
    const p = parseSubresourcePath('/apis/subresources.kubevirt.io/v1/namespaces/ns/virtualmachineinstances/a/vnc/screenshot?moveCursor=true');
    expect(p?.subresource).toBe('vnc/screenshot');
    expect(p?.authSubresource).toBe('vnc');
  });

  it('decodes percent-encoded segments', () => {
    expect(parseSubresourcePath('/apis/subresources.kubevirt.io/v1/namespaces/n%2Ds/virtualmachines/v%2Dm/stop')?.name).toBe('v-m');
  });

  it('rejects everything else', () => {
    for (const path of [
      '/apis/subresources.kubevirt.io/v1',
      '/apis/subresources.kubevirt.io/v1/namespaces/ns/expand-vm-spec',
      '/apis/subresources.kubevirt.io/v2/namespaces/ns/virtualmachines/vm/start',
      '/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/vm/start',
      '/apis/subresources.kubevirt.io/v1/namespaces/ns/pods/p/start',
      '/apis/subresources.kubevirt.io/v1/namespaces/ns/virtualmachines/vm',
      '/apis/subresources.kubevirt.io/v1/namespaces/ns/virtualmachines/vm/',
      '/apis/subresources.kubevirt.io/v1/namespaces/ns/virtualmachines/%E0%A4%A/start',
    ]) {
      expect(parseSubresourcePath(path), path).toBeUndefined();
    }
  });
});

describe('decodeBody (YAML-or-JSON into an options struct)', () => {
  it('accepts an empty or blank body (EOF)', () => {
    expect(decodeBody('', StartOptions)).toEqual({ ok: true, value: {} });
    expect(decodeBody('  \n', StartOptions)).toEqual({ ok: true, value: {} });
  });

  it('reads JSON', () => {
    expect(decodeBody('{"paused":true,"dryRun":["All"]}', StartOptions)).toEqual({ ok: true, value: { paused: true, dryRun: ['All'] } });
    expect(decodeBody(' {"gracePeriod": 0}', StopOptions)).toEqual({ ok: true, value: { gracePeriod: 0 } });
  });

  it('matches field names case-insensitively and ignores unknown fields, like encoding/json', () => {
    expect(decodeBody('{"Paused":true,"whatever":1,"kind":"StartOptions"}', StartOptions)).toEqual({
      ok: true,
      value: { paused: true, kind: 'StartOptions' },
    });
  });

  it('reads only the first JSON value', () => {
    expect(decodeBody('{"paused":true} trailing', StartOptions)).toEqual({ ok: true, value: { paused: true } });
  });

  it('reads YAML (1.1 booleans included)', () => {
    expect(decodeBody('paused: yes\ndryRun:\n- All\n', StartOptions)).toEqual({ ok: true, value: { paused: true, dryRun: ['All'] } });
    expect(decodeBody('gracePeriodSeconds: 0', RestartOptions)).toEqual({ ok: true, value: { gracePeriodSeconds: 0 } });
  });

  it('reports JSON syntax errors with encoding/json texts', () => {
    expect(decodeBody('{bad', StartOptions)).toEqual({ ok: false, error: "invalid character 'b' looking for beginning of object key string" });
    expect(decodeBody('{"paused":', StartOptions)).toEqual({ ok: false, error: 'unexpected EOF' });
    expect(decodeBody('{"paused" true}', StartOptions)).toEqual({ ok: false, error: "invalid character 't' after object key" });
    expect(decodeBody('{"paused":tru}', StartOptions)).toEqual({ ok: false, error: "invalid character '}' in literal true (expecting 'e')" });
  });

  it('reports type errors with encoding/json texts', () => {
    expect(decodeBody('{"paused":"yes"}', StartOptions)).toEqual({
      ok: false,
      error: 'json: cannot unmarshal string into Go struct field StartOptions.paused of type bool',
    });
    expect(decodeBody('{"gracePeriod":1.5}', StopOptions)).toEqual({
      ok: false,
      error: 'json: cannot unmarshal number 1.5 into Go struct field StopOptions.gracePeriod of type int64',
    });
    expect(decodeBody('{"dryRun":"All"}', StopOptions)).toEqual({
      ok: false,
      error: 'json: cannot unmarshal string into Go struct field StopOptions.dryRun of type []string',
    });
  });

  it('treats a non-object YAML document as a type error', () => {
    const r = decodeBody('- a\n- b\n', StartOptions);
    expect(r).toEqual({
      ok: false,
      error: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type v1.StartOptions',
    });
  });

  it('reports YAML syntax errors', () => {
    const r = decodeBody('paused: [true', StartOptions);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^error converting YAML to JSON: yaml: /);
  });

  it('builds the 400 message', () => {
    expect(unmarshalErrorMessage('unexpected EOF')).toBe('Can not unmarshal Request body to struct, error: unexpected EOF');
  });
});
