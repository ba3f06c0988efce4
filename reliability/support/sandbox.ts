import { spawn } from 'node:child_process';
import { repoRoot } from '../../bench/support';

// Faults in the sandbox: one of its processes stopped or started again by its launcher (the others keep running).
// Starting waits, as `sandbox:up` does, until the process answers its health check.
export function sandboxProcess(command: 'stop' | 'start' | 'restart', component: 'kube-apiserver' | 'simulator'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/launcher/cli.ts', command, component], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sandbox ${command} ${component} exited with ${code}: ${err}`))));
  });
}
