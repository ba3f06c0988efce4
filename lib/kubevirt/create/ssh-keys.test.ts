import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from './ssh-keys';

// Made once with ssh-keygen (OpenSSH) for these tests; the private halves were thrown away.
const keys = {
  ed25519: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9H/fPm4bOB06Z4T2s0agEbyUuPwwciMRlHa1lME60s fixture-ed25519@portal',
  rsa1024:
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQD1i17D6XoKmhZ6Q+10h0CNySFhHtWgP01JmKSXWzyqehegs13kK87V6qXfmYtJd1qew8x8DV6CmyjgFcJR1zoBfy2eDyxGfeXPYV83PwZE4vqr76LpHBgXus0t9Fz8agRt2nHkRBycsKCrE/gD7zz7BYMPzCCZUO7xcefkPcv5XQ== fixture-rsa1024@portal',
  rsa2048:
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCfVhssdDPd6r5WSYqAaGd7COL32T/QQwyg2wkitpcxQgBUUiQOY5XXiZ8FNl//LWTNf37Da+W3CCbI7dLCMHy91W1WhnnFvBLilt5uswN5GfHIOYU3GeSvHIhqGuM+Up4vVcJh9FRUVeUMNw/90gnYc3vxN+G+ydxA83lqS4SkJQxIdFGto3RKYNNIvZPnnaRgYuOn/q05uwyPsdCYSGVyS+FbqwvCRBKqg2vQgHN03UotnWnBAymgOPn+XtPJk9hyzFbHcZ3u7nn+7ci1z7+sHpvCPkwHopoJtI8r1syUbkO18K0FYF9xjqFB7CUcqByNm7nJ5iw9WCDXPbOh1ISd',
  rsa3072:
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDfqKHfbPGJ8iqqKAPERb+VDAL7owkDZ2SEbmV6z6VyeI8aPKejnjZWBSSRi7S5K0ggQf+0dqxP4ubqN++ZEzuC3wYjdYLPW6/MUj0+TzhYW316UEzgFuhMf3ioyvwwSmBPnPJHOCn11uwja7sydY+PW7IsLsm72sigz4ffNArZHRmeci3khdgVIgGuxb6ygq3k04mOy6tTrrFZJk5kBB2yh1P+mkLJBMKtZVPqRKpjRo7Rg9pc2cCj90LBdKxIr7ERzOaTdGdq6priE181HLYEjTxv65RdwlVSl12lD7rUYrhxciRBOuGNEEsMTIi+6p9A6dj2QAX0a3PquaIslbX1ohVpw7fogKuOdawNsRt26QOPEuCE5mvvFg1nFFJQ2GHyC/e6IkwaB/NCLV9IC0hHO3NBZSGzJ+1EkLdjNep50SPRZn/yJ8ycBvAl2cwjtrZDYv4rS0wsZqJaatHLle3KTgsWeZcoTtyCId1z7Se90ZtZgpnM8rnHsU8w6HXoE0k= fixture-rsa3072@portal',
  ecdsa256:
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCSzseVi3zuzP0bPsNe8zaZ5APyAYe9SEvWDkY4fySctdZ/WuQfH+cHU+kErApUecg5bggmTEbskjhKL9S5yMdU= fixture-ecdsa256@portal',
  ecdsa384:
    'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBN0yuCHmFMJDrGm9+Pz88ArS0t3GaCGoSz16lF1KrlQgykQDPl7y8fTrvD9Q2XqCrI4u1Q0vc4qhDpYKbTS9le1UuvIJzbyspKDmvNeIPeMDke56a9JoLWj8awI56Zb6uQ== fixture-ecdsa384@portal',
  ecdsa521:
    'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAGwPdt2sxq284AERKihuFprmuwbVoiOb2HU9yYEAIXOxxZs0ii8WQNvMPu/Hq6+2oXuCgI+MhIJgNoV+9YW6r0kMgAMy6ijMzzqP49drTb/bcZIg3woYAGrBSy5gTjS59lglSlPpv8Zwfe0kUc5TOTsMRV9OqALckX1wBPuP0icQB/aTQ== fixture-ecdsa521@portal',
  dsa: 'ssh-dss AAAAB3NzaC1kc3MAAACBAKp+txZga/NrAWXYzh5xoGG0M9bbwYzf2E/yMUcAZybLmtdXHO37XIV+2KdDRVbAHEAz7cPlMqhTlvUO4RuiQ+ksF7K1QJiOSFc08TErwT2buPlXJGk+TnPOeZqo+kIoBJusUIarolx9btDQXPAUkwoeet9IVFbK90wtqQFggzvlAAAAFQD7FG4zV293/kGI7TV8Xc0XxQ7VDwAAAIB4546kEnYmINgiASrBB6YnZ3akTaHANwhB1KMlKRZugdWXEmAuP6D6YcqV2ddRBsjOWRqS02j4UDBMlLs0sP/Mb5z3T7fkG/KI7gvWUCmucwUcu3Lu490U07y7uHQNjowt94F5/2JhrtjBZfylcQooKshe8vBVycDNUPPGB2JHPAAAAIA0uqxj1dXiYidoCDvlFHbjX3/28h+XyBA684QJzO8u0TYmwJnlEnR0NjHw16x0UnTvB6Ku9+DUFZx0fgt+P22gtuqURXOfU0KIBTaSIvrzVTNlyzjvcnoTRrtSdFgHfvBg6C+LxrDHbmJV/Syzx4qIbhZGWhYw2eBYXdfrkwrSDQ== root@vm',
};

// Security-key blobs need a hardware token to make with ssh-keygen, so these are put together by hand in the wire
// format (PROTOCOL.u2f): type, the public key (and the curve for ECDSA), then the application string.
const sshString = (b: Buffer | string) => {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};
const blob = (...parts: (Buffer | string)[]) => Buffer.concat(parts.map(sshString)).toString('base64');
const skEd25519 = `sk-ssh-ed25519@openssh.com ${blob('sk-ssh-ed25519@openssh.com', Buffer.alloc(32, 7), 'ssh:')} yubikey`;
const ecPoint = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 9)]);
const skEcdsa = `sk-ecdsa-sha2-nistp256@openssh.com ${blob('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', ecPoint, 'ssh:')}`;

describe('parseSshPublicKey', () => {
  it('takes the supported key types, with their sizes and comments', () => {
    expect(parseSshPublicKey(keys.ed25519)).toEqual({ ok: true, type: 'ssh-ed25519', bits: 256, comment: 'fixture-ed25519@portal' });
    expect(parseSshPublicKey(keys.rsa3072)).toEqual({ ok: true, type: 'ssh-rsa', bits: 3072, comment: 'fixture-rsa3072@portal' });
    expect(parseSshPublicKey(keys.rsa2048)).toEqual({ ok: true, type: 'ssh-rsa', bits: 2048 });
    expect(parseSshPublicKey(keys.ecdsa256)).toMatchObject({ ok: true, type: 'ecdsa-sha2-nistp256', bits: 256 });
    expect(parseSshPublicKey(keys.ecdsa384)).toMatchObject({ ok: true, type: 'ecdsa-sha2-nistp384', bits: 384 });
    expect(parseSshPublicKey(keys.ecdsa521)).toMatchObject({ ok: true, type: 'ecdsa-sha2-nistp521', bits: 521 });
    expect(parseSshPublicKey(skEd25519)).toEqual({ ok: true, type: 'sk-ssh-ed25519@openssh.com', bits: 256, comment: 'yubikey' });
    expect(parseSshPublicKey(skEcdsa)).toEqual({ ok: true, type: 'sk-ecdsa-sha2-nistp256@openssh.com', bits: 256 });
  });

  it('keeps a comment with spaces and ignores surrounding whitespace', () => {
    expect(parseSshPublicKey(`  ${keys.ed25519.replace('fixture-ed25519@portal', 'my laptop  key')}\t`)).toMatchObject({ ok: true, comment: 'my laptop key' });
  });

  it('refuses an RSA key below 2048 bits as weak', () => {
    expect(parseSshPublicKey(keys.rsa1024)).toEqual({ ok: false, reason: 'weak' });
  });

  it('refuses key types it does not take', () => {
    expect(parseSshPublicKey(keys.dsa)).toEqual({ ok: false, reason: 'type' });
    expect(parseSshPublicKey(keys.ed25519.replace('ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com'))).toEqual({ ok: false, reason: 'type' });
  });

  it('refuses a blob whose inner type is not the declared one', () => {
    expect(parseSshPublicKey(keys.ed25519.replace(/^ssh-ed25519/, 'ssh-rsa'))).toEqual({ ok: false, reason: 'mismatch' });
    const wrongCurve = `ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp384', ecPoint)}`;
    expect(parseSshPublicKey(wrongCurve)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a blob that is not base64 or is cut short', () => {
    const [type, b64] = keys.ed25519.split(' ');
    expect(parseSshPublicKey(`${type} ${b64!.slice(0, -8)}`)).toEqual({ ok: false, reason: 'base64' });
    expect(parseSshPublicKey(`${type} ${b64!.replace('AAAA', 'AA*A')}`)).toEqual({ ok: false, reason: 'base64' });
    expect(parseSshPublicKey(`${type} ${blob('ssh-ed25519', Buffer.alloc(31))}`)).toEqual({ ok: false, reason: 'base64' });
    expect(parseSshPublicKey(`${type} ${blob('ssh-ed25519', Buffer.alloc(32), 'trailing')}`)).toEqual({ ok: false, reason: 'base64' });
  });

  it('says empty for a blank line and format for anything that is not a key line', () => {
    expect(parseSshPublicKey('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseSshPublicKey('hello world')).toEqual({ ok: false, reason: 'format' });
    expect(parseSshPublicKey('ssh-ed25519')).toEqual({ ok: false, reason: 'format' });
    expect(parseSshPublicKey('---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----')).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses a private key without echoing any of it', () => {
    // Not a real key: the shape of one, with a marker to look for in the result.
    const secret = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABSECRETMARKER';
    const pasted = `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const result = parseSshPublicKey(pasted);
    expect(result).toEqual({ ok: false, reason: 'format' });
    expect(JSON.stringify(result)).not.toContain('SECRETMARKER');
    // Pasted as one line (a textarea that lost its newlines), still a private key.
    expect(parseSshPublicKey(pasted.replace(/\n/g, ' '))).toEqual({ ok: false, reason: 'format' });
  });
});
