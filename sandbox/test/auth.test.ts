// Issue 2, acceptance 3: OIDC users from the real identity provider, decided by real RBAC.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { eventually, kubectl, kubectlOk, uniqueName, vmManifest } from './helpers.ts';
import { components } from '../launcher/components.ts';
import { writeConfigFiles } from '../launcher/config-files.ts';
import { binaries } from '../launcher/build.ts';
import { urls } from '../launcher/paths.ts';
import { readRecord, stopProcess } from '../launcher/procs.ts';
import { startComponent } from '../launcher/sandbox.ts';
import { passwordGrant } from '../launcher/token.ts';

function selfSignedJwt(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'intruder' })}.${enc(claims)}`;
  const sig = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
  return `${body}.${sig}`;
}

async function restartDex(idTokenTtl?: string) {
  if (idTokenTtl) process.env.SANDBOX_ID_TOKEN_TTL = idTokenTtl;
  else delete process.env.SANDBOX_ID_TOKEN_TTL;
  writeConfigFiles();
  const rec = readRecord('dex');
  if (rec) await stopProcess(rec);
  await startComponent(components.find((c) => c.name === 'dex')!, binaries());
}

describe('identity and access', () => {
  const created: string[][] = [];
  afterAll(async () => {
    for (const [ns, name] of created) await kubectl(['delete', 'vm', name!, '-n', ns!, '--wait=false']);
  });

  it('knows dev-a by name and group', async () => {
    const who = JSON.parse(await kubectlOk(['auth', 'whoami', '-o', 'json'], { as: 'dev-a' }));
    expect(who.status.userInfo.username).toBe('dev-a');
    expect(who.status.userInfo.groups).toContain('team-a');
  });

  it('lets dev-a create a VM in team-a and forbids team-b', async () => {
    const name = uniqueName('authz');
    await kubectlOk(['create', '-f', '-'], { as: 'dev-a', input: YAML.stringify(vmManifest(name, 'team-a')) });
    created.push(['team-a', name]);
    const denied = await kubectl(['create', '-f', '-'], { as: 'dev-a', input: YAML.stringify(vmManifest(name, 'team-b')) });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/Forbidden.*User "dev-a" cannot create resource "virtualmachines" in API group "kubevirt.io" in the namespace "team-b"/);
  });

  it('lets viewer read but not create', async () => {
    const list = await kubectl(['get', 'vm', '-n', 'team-a'], { as: 'viewer' });
    expect(list.status).toBe(0);
    const denied = await kubectl(['create', '-f', '-'], { as: 'viewer', input: YAML.stringify(vmManifest(uniqueName('nope'), 'team-a')) });
    expect(denied.stderr).toMatch(/Forbidden.*User "viewer" cannot create resource "virtualmachines"/);
    const can = await kubectl(['auth', 'can-i', 'update', 'virtualmachines/start', '--subresource=', '-n', 'team-a'], { as: 'viewer' });
    expect(can.stdout.trim()).toBe('no');
  });

  it('gives admins cluster-admin', async () => {
    const can = await kubectl(['auth', 'can-i', '*', '*', '--all-namespaces'], { as: 'admin' });
    expect(can.stdout.trim()).toBe('yes');
  });

  it('refuses an expired token with 401', async () => {
    // Token lifetime is Dex-wide, so a short-lived token needs Dex restarted with a short lifetime (same keys).
    await restartDex('10s');
    try {
      const { idToken } = await passwordGrant('dev-a');
      const exp = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()).exp as number;
      await eventually('the new token to be accepted', async () => (await kubectl(['auth', 'whoami'], { token: idToken })).status === 0, 8000, 200);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1500));
      const expired = await kubectl(['auth', 'whoami'], { token: idToken });
      expect(expired.status).not.toBe(0);
      expect(expired.stderr).toMatch(/Unauthorized/);
    } finally {
      await restartDex();
    }
    // Tokens issued by the restarted Dex work again.
    const token = (await passwordGrant('viewer')).idToken;
    const who = await eventually('a token of the restarted Dex', async () => {
      const r = await kubectl(['auth', 'whoami', '-o', 'json'], { token });
      return r.status === 0 && JSON.parse(r.stdout);
    });
    expect(who.status.userInfo.username).toBe('viewer');
  });

  it('refuses a token from a wrong issuer with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = selfSignedJwt({
      iss: `${urls.dexIssuer}-impostor`, aud: 'kubevirt-portal', sub: 'x', preferred_username: 'admin',
      groups: ['portal-admins'], iat: now, exp: now + 600,
    });
    const r = await kubectl(['get', 'ns'], { token: forged });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized/);
    const wrongKey = selfSignedJwt({
      iss: urls.dexIssuer, aud: 'kubevirt-portal', sub: 'x', preferred_username: 'admin', iat: now, exp: now + 600,
    });
    expect((await kubectl(['get', 'ns'], { token: wrongKey })).stderr).toMatch(/Unauthorized/);
  });
});
