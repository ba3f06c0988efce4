// `npm run sandbox:<command>`: up, down, status, reset, token <user>.
import { down, log, reset, status, token, up } from './sandbox.ts';

const commands: Record<string, (arg?: string) => Promise<void>> = { up, down, status, reset, token };
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
