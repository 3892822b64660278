// Entry point of a fuzz worker thread. Loader hooks are per thread, so each
// worker registers tsx itself (both hooks, as src/cli/bin.js does) before it
// loads the TypeScript body and users' .ts models.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerCommonJs();
registerEsm();
const { runSeedTask } = await import('./worker-body.ts');

export default runSeedTask;
