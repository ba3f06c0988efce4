// When the API server asks to be asked again. client-go (which real KubeVirt's controllers use) retries an answer
// of 429, or of 500 to 504, that carries a Retry-After header, up to 10 times, after the seconds the header gives.
// The API server sends one while a resource's watch cache is still filling ("storage is (re)initializing", 429 with
// Retry-After: 1), which happens on the first use of a custom resource after the server starts: without the retry a
// simulated controller failed where KubeVirt's would have waited a second.

export const maxRetries = 10;

/** The wait before trying again, or undefined when the answer is final. */
export function retryDelayMs(status: number, retryAfter: string | string[] | undefined): number | undefined {
  if (status !== 429 && (status < 500 || status > 504)) return undefined;
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  // client-go falls back to one second when the header is not a whole number of seconds.
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1000;
}
