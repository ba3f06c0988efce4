// `npm run helm -- <args>`: Helm built from its Go module (sandbox/helm/go.mod) into the machine-wide binary cache on
// first use, then run with the given arguments; its exit status is this script's.
import { spawnSync } from 'node:child_process';
import { helmBinary } from '../sandbox/launcher/build.ts';

const helm = helmBinary((s) => process.stderr.write(`helm: ${s}\n`));
const res = spawnSync(helm, process.argv.slice(2), { stdio: 'inherit' });
process.exit(res.status ?? 1);
