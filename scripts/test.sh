#!/usr/bin/env bash
# Every test of the project, from a fresh clone: installs what is missing, type-checks, runs the unit tests, brings
# the sandbox up (building it on first use) for the integration and end-to-end tests, and ends with the lifecycle
# test, which leaves the sandbox stopped. Prints one "N passed, N failed" line at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# No call home: these machines are offline, and a portal's build should not report on its users anyway.
export NEXT_TELEMETRY_DISABLED=1

# A second sandbox on the machine (SANDBOX_PORT_OFFSET, e.g. a CI run beside a developer's sandbox): the portal's
# sandbox defaults follow the offset to its API server and Dex; its own port and Dex's redirect URI move here.
if [ -n "${SANDBOX_PORT_OFFSET:-}" ]; then
  off=$SANDBOX_PORT_OFFSET
  export PORTAL_E2E_PORT=$((3000 + off))
  export SANDBOX_OIDC_REDIRECT_URIS="http://localhost:$PORTAL_E2E_PORT/api/auth/callback/sandbox,http://127.0.0.1:$PORTAL_E2E_PORT/api/auth/callback/sandbox"
fi

reports=$(mktemp -d)
status=0
step() { echo; echo "=== $*"; }

step "system packages"
bash scripts/install-system-deps.sh || exit 1

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

step "type check"
npm run -s typecheck || status=1

run_vitest() {
  local project=$1
  step "vitest: $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile="$reports/$project.json" || status=1
}

run_vitest unit
run_vitest integration
if npm run | grep -q "^  test:e2e$"; then
  step "end-to-end (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npm run -s test:e2e || status=1
  run_vitest packaging
  # After the e2e run: its portal has stopped, and each reliability spec starts its own on the same public port.
  step "reliability suite (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/reliability.json" npm run -s test:reliability || status=1
fi
run_vitest lifecycle

node scripts/test-summary.cjs "$reports"
rm -rf "$reports"
exit $status
