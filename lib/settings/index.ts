import { z } from 'zod';
import { clusterSettings, clusterVars, type AuthMode, type ClusterSettings } from './cluster';
import { consoleSettings, consoleVars, type ConsoleSettings } from './consoles';
import { limitSettings, limitVars, type LimitSettings } from './limits';
import { listenSettings, listenVars, type ListenSettings } from './listen';
import { loggingVars, type LogLevel } from './logging';
import { metricsSettings, metricsVars, type MetricsSettings } from './metrics';
import { migrationMetricsSettings, migrationMetricsVars, type MigrationMetricsSettings } from './migration-metrics';
import { modeOf, modeVars } from './mode';
import { claimRules, oidcSettings, oidcVars, type ClaimRules, type OidcSettings } from './oidc';
import { publicUrlSettings, publicUrlVars, type PublicUrl } from './public-url';
import { sessionSettings, sessionVars, type SessionSettings } from './session';
import type { Env, Requirements } from './vars';

// Every setting of the portal, read from the environment in one pass and checked with zod; docs/portal.md lists the
// variables. This folder is the only code that reads process.env for them. A bad or missing variable stops the start
// with one error naming all of them, rather than failing some request later. No 'server-only' marker: server.ts
// imports this outside Next's bundler (tests/walls.test.ts keeps it out of browser code instead).

export interface Settings {
  sandbox: boolean; // the sandbox's defaults apply (PORTAL_SANDBOX=true, or next dev)
  dev: boolean; // next dev
  authMode: AuthMode;
  cluster: ClusterSettings;
  oidc: OidcSettings | undefined; // undefined only in kubeconfig mode outside the sandbox without OIDC_ISSUER
  claims: ClaimRules;
  site: PublicUrl;
  session: SessionSettings;
  limits: LimitSettings;
  consoles: ConsoleSettings;
  listen: ListenSettings;
  logLevel: LogLevel;
  migrationMetrics: MigrationMetricsSettings;
  metrics: MetricsSettings; // the portal's own /metrics
}

const vars = { ...modeVars, ...clusterVars, ...oidcVars, ...publicUrlVars, ...sessionVars, ...limitVars, ...consoleVars, ...listenVars, ...loggingVars, ...migrationMetricsVars, ...metricsVars };
const schema = z.object(vars);

// Their values are never repeated in an error message.
const SECRETS: ReadonlySet<string> = new Set(['NEXTAUTH_SECRET', 'OIDC_CLIENT_SECRET']);

export interface SettingsProblem {
  variable: string;
  message: string;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };

export function parseSettings(env: Env, argv: readonly string[] = []): SettingsResult {
  const problems: SettingsProblem[] = [];
  const report = (variable: string, message: string) => {
    if (!problems.some((p) => p.variable === variable)) problems.push({ variable, message });
  };
  const given = Object.fromEntries(Object.keys(vars).map((k) => [k, env[k]]));
  let parsed = schema.safeParse(given);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      const raw = env[variable];
      report(variable, raw === undefined || SECRETS.has(variable) ? issue.message : `${issue.message} (got ${JSON.stringify(raw)})`);
    }
    // Read the rest without the bad ones, so what is missing is reported in the same error.
    parsed = schema.safeParse(Object.fromEntries(Object.entries(given).filter(([k]) => !problems.some((p) => p.variable === k))));
    if (!parsed.success) return { ok: false, problems };
  }
  const v = parsed.data;
  const r: Requirements = {
    need: (variable, why) => report(variable, `not set: ${why}. Only sandbox mode (PORTAL_SANDBOX=true, or next dev) has a default for it`),
    refuse: report,
  };
  const mode = modeOf(v, argv);
  const listen = listenSettings(v);
  const settings: Settings = {
    sandbox: mode.sandbox,
    dev: mode.dev,
    authMode: v.PORTAL_AUTH_MODE,
    cluster: clusterSettings(v, mode, r),
    oidc: oidcSettings(v, v.PORTAL_AUTH_MODE, mode, r),
    claims: claimRules(v),
    site: publicUrlSettings(v, listen.port),
    session: sessionSettings(v, mode, r),
    limits: limitSettings(v),
    consoles: consoleSettings(v),
    listen,
    logLevel: v.LOG_LEVEL,
    migrationMetrics: migrationMetricsSettings(v, mode, r),
    metrics: metricsSettings(v, listen.port, r),
  };
  return problems.length ? { ok: false, problems } : { ok: true, settings };
}

export class SettingsError extends Error {
  static readonly summary = "The portal's settings are not valid (docs/portal.md lists them)";

  constructor(readonly problems: SettingsProblem[]) {
    super(`${SettingsError.summary}:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

let current: Settings | undefined;

/** The settings of this process, read on first use. Throws SettingsError; server.ts calls it first, at start. */
export function settings(): Settings {
  if (!current) {
    const r = parseSettings(process.env, process.argv);
    if (!r.ok) throw new SettingsError(r.problems);
    current = r.settings;
  }
  return current;
}

/** For tests that change the environment between cases: the next settings() reads it again. */
export function resetSettings(): void {
  current = undefined;
}

export { logLevel } from './logging';
export { shareWithNextAuth } from './next-auth-env';
export { oidcCa } from './oidc';
export { parsePublicUrl } from './public-url';
export { presentFile } from './vars';
export type { AuthMode, ClaimRules, ClusterSettings, ConsoleSettings, LimitSettings, ListenSettings, LogLevel, MetricsSettings, MigrationMetricsSettings, OidcSettings, PublicUrl, SessionSettings };
