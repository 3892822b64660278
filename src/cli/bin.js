#!/usr/bin/env node
// Entry point of the `faultline` command. Registers tsx first so the CLI and
// users' TypeScript model files load without a build step. Both hooks are
// needed: a .ts model in a CommonJS-scoped project is compiled to CommonJS,
// and its imports of faultline must still resolve.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCommonJs();
registerEsm();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
