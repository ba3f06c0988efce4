// OpenSSH public keys as a user pastes them (one authorized_keys line: type, base64 blob, optional comment), checked
// before they reach a guest: a key the guest's sshd would ignore only shows up when the login fails, too late. The
// blob is decoded (RFC 4253 §6.6, RFC 5656 §3.1, PROTOCOL.u2f) so a truncated paste or a type that lies is caught.
// Runs in the browser too, so atob rather than Buffer. A result never carries any of the pasted text but the comment
// of a public key: a private key pasted by mistake must not be echoed anywhere.

export type SshKeyProblem = 'empty' | 'format' | 'type' | 'base64' | 'mismatch' | 'weak';
export type SshKeyCheck = { ok: true; type: string; bits?: number; comment?: string } | { ok: false; reason: SshKeyProblem };

// OpenSSH 8.8+ refuses RSA keys below this.
export const minRsaBits = 2048;

const ecdsaBits: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

export const supportedKeyTypes = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;
const supported = new Set<string>(supportedKeyTypes);

// Reads the SSH wire format's length-prefixed strings; undefined once the blob runs short.
class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  string(): Uint8Array | undefined {
    const b = this.bytes;
    if (this.at + 4 > b.length) return undefined;
    const len = ((b[this.at]! << 24) >>> 0) + (b[this.at + 1]! << 16) + (b[this.at + 2]! << 8) + b[this.at + 3]!;
    const start = this.at + 4;
    if (start + len > b.length) return undefined;
    this.at = start + len;
    return b.subarray(start, start + len);
  }
  text(): string | undefined {
    const s = this.string();
    return s && String.fromCharCode(...s);
  }
  done(): boolean {
    return this.at === this.bytes.length;
  }
}

function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

// The bit length of an mpint (big-endian, a leading zero byte when the top bit is set).
function mpintBits(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

// What follows the type string in each supported blob; 'base64' when the blob is cut short or runs on.
function checkBody(type: string, r: Reader): SshKeyCheck | { ok: false; reason: SshKeyProblem } {
  const bad = { ok: false, reason: 'base64' } as const;
  switch (type) {
    case 'ssh-rsa': {
      const e = r.string();
      const n = r.string();
      if (!e || !n || !r.done()) return bad;
      const bits = mpintBits(n);
      return bits < minRsaBits ? { ok: false, reason: 'weak' } : { ok: true, type, bits };
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const pk = r.string();
      if (pk?.length !== 32) return bad;
      if (type.startsWith('sk-') && r.text() === undefined) return bad;
      return r.done() ? { ok: true, type, bits: 256 } : bad;
    }
    default: {
      // ecdsa-sha2-<curve> and sk-ecdsa-sha2-nistp256@openssh.com: the curve is named again inside the blob.
      const declared = /^(?:sk-)?ecdsa-sha2-(nistp\d+)/.exec(type)![1]!;
      const curve = r.text();
      const point = r.string();
      if (curve === undefined || !point) return bad;
      if (curve !== declared) return { ok: false, reason: 'mismatch' };
      if (type.startsWith('sk-') && r.text() === undefined) return bad;
      return r.done() ? { ok: true, type, bits: ecdsaBits[curve] } : bad;
    }
  }
}

/** Checks one OpenSSH public key line. */
export function parseSshPublicKey(line: string): SshKeyCheck {
  const text = line.trim();
  if (!text) return { ok: false, reason: 'empty' };
  // A private key, a PEM or an RFC 4716 block: not an authorized_keys line.
  if (text.includes('-----BEGIN') || text.includes('---- BEGIN') || /[\r\n]/.test(text)) return { ok: false, reason: 'format' };
  const [type, blob, ...rest] = text.split(/[ \t]+/);
  if (!type || !blob) return { ok: false, reason: 'format' };
  if (!supported.has(type)) {
    // A key type this portal does not take (ssh-dss, a certificate) is 'type'; any other first word is not a key.
    return { ok: false, reason: /^(ssh-|ecdsa-|sk-)/.test(type) ? 'type' : 'format' };
  }
  const bytes = decodeBase64(blob);
  if (!bytes) return { ok: false, reason: 'base64' };
  const r = new Reader(bytes);
  const inner = r.text();
  if (inner === undefined) return { ok: false, reason: 'base64' };
  if (inner !== type) return { ok: false, reason: 'mismatch' };
  const body = checkBody(type, r);
  if (!body.ok) return body;
  const comment = rest.join(' ');
  return comment ? { ...body, comment } : body;
}
