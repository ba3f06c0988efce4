// Whether a websocket upgrade comes from the portal's own pages. Browsers always send Origin with a websocket
// handshake and a page cannot change it; it must equal the configured public URL's origin exactly. Never compared
// with the request's Host header: a DNS-rebinding page sends a Host and an Origin that agree with each other. A
// missing, repeated or opaque ("null") Origin is refused. Pure.

export function originAllowed(origin: string | string[] | undefined, expectedOrigin: string): boolean {
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return false;
  let expected: string;
  try {
    expected = new URL(expectedOrigin).origin;
  } catch {
    return false;
  }
  return origin === expected;
}
