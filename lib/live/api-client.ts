'use client';
import { getCsrfToken, getSession } from 'next-auth/react';
import { errorOfBody, type PortalErrorBody } from '../shared/error-body';

// The browser's only way to call the portal's API routes: adds next-auth's CSRF token to mutations, turns error
// bodies into ApiError, and after a 401 asks next-auth for the session once (which refreshes the ID token) before
// retrying, or sends the user to sign in again when the refresh failed.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: PortalErrorBody,
  ) {
    super(body.message);
  }
}

let csrf: Promise<string | undefined> | undefined;

async function csrfToken(): Promise<string> {
  csrf ??= getCsrfToken();
  const token = await csrf;
  if (!token) {
    csrf = undefined;
    throw new ApiError(403, { code: 'csrf', message: 'no csrf token' });
  }
  return token;
}

/**
 * A fetch of a mutation that answers with something other than JSON (the live stream opened with its
 * subscriptions): with the CSRF token, fetched again once when the portal refused it as stale.
 */
export async function fetchWithCsrf(url: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { ...init, headers: { ...init.headers, 'x-csrf-token': await csrfToken() } });
    if (attempt > 0 || res.status !== 403) return res;
    if (errorOfBody(await res.clone().json().catch(() => undefined))?.code !== 'csrf') return res;
    csrf = undefined;
  }
}

// Set once the user has asked to sign out: the page's requests and streams then meet a 401 while the sign-out is
// under way, and sending the browser to "your session has ended" would race the sign-out's own navigation (and
// could win it, leaving the user on the wrong page).
let signingOut = false;

export function setSigningOut(on: boolean): void {
  signingOut = on;
}

export async function refreshSessionOrSignIn(): Promise<boolean> {
  if (signingOut) return false;
  const session = (await getSession()) as { error?: string } | null;
  if (signingOut) return false;
  if (!session || session.error) {
    window.location.href = `/signin?reason=expired&callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    return false;
  }
  return true;
}

async function errorOf(res: Response): Promise<ApiError> {
  // Anything else (a proxy's page) says only its status.
  const error = errorOfBody(await res.json().catch(() => undefined));
  if (error) return new ApiError(res.status, error);
  return new ApiError(res.status, { code: 'internal', message: `HTTP ${res.status}` });
}

export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown } = {}, retried = false): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = await csrfToken();
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'same-origin' });
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  const err = await errorOf(res);
  if (!retried && err.status === 401 && err.body.code === 'unauthenticated') {
    if (await refreshSessionOrSignIn()) return apiFetch<T>(url, init, true);
  }
  if (!retried && err.body.code === 'csrf') {
    csrf = undefined;
    return apiFetch<T>(url, init, true);
  }
  throw err;
}
