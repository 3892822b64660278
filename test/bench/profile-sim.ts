/**
 * Runs one simulator variant of the core benchmark for profiling, e.g.
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof test/bench/profile-sim.ts stateless off 2000000
 * Arguments: stateless|counting, off|on, steps (default 2_000_000).
 */
import { pingPongModel, simulatorRun } from './ping-pong-workload.ts';

const [stateArg = 'stateless', recordingArg = 'off', stepsArg = '2000000'] = process.argv.slice(2);
if (stateArg !== 'stateless' && stateArg !== 'counting') throw new Error('first argument: stateless or counting');
if (recordingArg !== 'off' && recordingArg !== 'on') throw new Error('second argument: off or on');
const steps = Number(stepsArg);
const model = pingPongModel(stateArg === 'counting');
const start = process.hrtime.bigint();
const run = simulatorRun(model, steps, recordingArg === 'on');
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${stateArg}, recording ${recordingArg}: ${run.steps} steps in ${seconds.toFixed(3)} s = ${(run.steps / seconds / 1e6).toFixed(2)} M steps/s (hash ${run.hash})`);
