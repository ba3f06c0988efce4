// Brings the sandbox up once for the whole integration suite (a no-op when it is already up).
import { execFileSync } from 'node:child_process';
import { repoRoot } from '../launcher/paths.ts';

export default function setup() {
  execFileSync('npm', ['run', '-s', 'sandbox:up'], { cwd: repoRoot, stdio: 'inherit' });
}
