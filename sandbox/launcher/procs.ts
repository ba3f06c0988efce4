// Background processes owned by the sandbox. Each one gets a pid file holding the pid and the process start time
// (from /proc), so `down` stops exactly the processes `up` started, never a stranger that reused the pid.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './paths.ts';

export interface ProcRecord {
  name: string;
  pid: number;
  startTime: string;
  command: string[];
}

function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may contain spaces, so split after the closing paren.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function pidFile(name: string) {
  return join(paths.pids, `${name}.json`);
}

export function readRecord(name: string): ProcRecord | undefined {
  const f = pidFile(name);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as ProcRecord;
  } catch {
    return undefined;
  }
}

export function listRecords(): ProcRecord[] {
  if (!existsSync(paths.pids)) return [];
  return readdirSync(paths.pids)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readRecord(f.slice(0, -5)))
    .filter((r): r is ProcRecord => r !== undefined);
}

/** True when the recorded process is still the one we started. */
export function isAlive(rec: ProcRecord | undefined): boolean {
  if (!rec) return false;
  const st = procStartTime(rec.pid);
  if (st === undefined || st !== rec.startTime) return false;
  // A zombie has exited already.
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${rec.pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function startProcess(
  name: string,
  command: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ProcRecord {
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const log = openSync(join(paths.logs, `${name}.log`), 'a');
  const [cmd, ...args] = command;
  // detached: its own process group, so it outlives the launcher and `down` can signal the whole group.
  const child = spawn(cmd!, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd,
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name}: ${command.join(' ')}`);
  const rec: ProcRecord = { name, pid: child.pid, startTime: procStartTime(child.pid) ?? '', command };
  writeFileSync(pidFile(name), JSON.stringify(rec, null, 2));
  return rec;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM the process group, wait, then SIGKILL what is left. */
export async function stopProcess(rec: ProcRecord, graceMs = 10_000): Promise<void> {
  if (isAlive(rec)) {
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-rec.pid, sig);
      } catch {
        try {
          process.kill(rec.pid, sig);
        } catch {
          /* already gone */
        }
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(rec) && Date.now() < deadline) await sleep(100);
    if (isAlive(rec)) {
      signal('SIGKILL');
      while (isAlive(rec)) await sleep(50);
    }
    // Give init a moment to reap it, so that nothing of ours is left even in the process table.
    for (let i = 0; i < 40 && procStartTime(rec.pid) === rec.startTime; i++) await sleep(50);
  }
  rmSync(pidFile(rec.name), { force: true });
}

/**
 * QEMU processes whose command line names this sandbox's VM folder (and, with `name`, whose `-name` starts with
 * it: `<namespace>_<vmi>`). After `down` there must be none, even if a simulator was killed without its process
 * group (its guests would otherwise outlive it).
 */
export function guestPids(vmsDir: string, name = ''): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('qemu-system') && cmd.includes(vmsDir + '/') && cmd.includes(`\0-name\0${name}`)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}
