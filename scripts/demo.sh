#!/usr/bin/env bash
# One command from a fresh clone to a running portal on the sandbox: installs what is missing, brings the sandbox
# up (building it on first use), builds the portal and serves it on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# No call home: these machines are offline, and a portal's build should not report on its users anyway.
export NEXT_TELEMETRY_DISABLED=1
bash scripts/install-system-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run -s sandbox:up
if npm run | grep -q "^  build$"; then
  npm run -s build
  echo "portal: http://localhost:3000  (sign in as dev-a@sandbox.test / dev-a; other users above)"
  # The sandbox's cluster and identity provider are the portal's defaults only in sandbox mode.
  PORTAL_SANDBOX=true exec npm start
fi
echo "the portal is not part of this checkout yet; the sandbox is up (see above)"
