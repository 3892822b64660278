#!/usr/bin/env node
// Entry point of the `faultline` command. Registers tsx first so the CLI and
// users' TypeScript model files load without a build step. Both hooks are
// needed: a .ts model in a CommonJS-scoped project is compiled to CommonJS,
// and its imports of faultline must still resolve.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

// A reader that goes away (`faultline run --help | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

registerCommonJs();
registerEsm();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
