// `npm run sandbox:<command>`: up, down, status, reset, token <user>; and for fault injection
// `tsx sandbox/launcher/cli.ts stop|start|restart <component>` (one process, e.g. kube-apiserver).
import { down, log, reset, restart, start, status, stop, token, up } from './sandbox.ts';

const commands: Record<string, (arg?: string) => Promise<void>> = { up, down, status, reset, token, stop, start, restart };
const [cmd, arg] = process.argv.slice(2);
const run = commands[cmd ?? ''];
if (!run) {
  process.stderr.write(`usage: cli.ts ${Object.keys(commands).join('|')}\n`);
  process.exit(2);
}
run(arg).catch((err: Error) => {
  log(`error: ${err.message}`);
  process.exit(1);
});
