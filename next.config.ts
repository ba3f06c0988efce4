import type { NextConfig } from 'next';

const config: NextConfig = {
  // The portal runs behind its own server.ts (websocket upgrades for consoles), never `next start`.
  poweredByHeader: false,
  // server.ts compresses responses itself (lib/server/compress.ts), at a level chosen per kind of response.
  compress: false,
  // client-node pulls in Node-only modules; keep it out of the bundles and load it from node_modules at run time.
  // prom-client likewise: server.ts (outside the bundles) and the route handlers must share one copy of it, as they
  // share one registry (lib/metrics/registry.ts).
  serverExternalPackages: ['@kubernetes/client-node', 'prom-client'],
  typescript: {
    tsconfigPath: 'tsconfig.portal.json',
    // The repository uses TypeScript 7 (native compiler, no JS API), so Next must call the CLI.
  },
  experimental: { useTypeScriptCli: true },
};

export default config;
