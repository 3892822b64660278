/**
 * Scenario files for `faultline run --scenario FILE`: the fluent scenario as
 * JSON. Each step is an object with `at` and exactly one action:
 *
 *   { "steps": [
 *       { "at": "200ms", "partition": [["server0"], ["server1", "server2"]] },
 *       { "at": "900ms", "heal": true },
 *       { "at": "1s", "crash": "server1" },
 *       { "at": 2000000, "restart": "server1" } ] }
 *
 * `at` is a duration string as on the command line (`500us`, `200ms`, `1.5s`;
 * a bare number in a string is milliseconds) or a JSON integer of
 * microseconds. An optional top-level `"description"` string is ignored.
 * Every problem is one InputError naming the file (and the step's index).
 */
import { readFileSync } from 'node:fs';
import { parseDuration } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import type { JsonValue } from '../trace/events.ts';
import { actionNames } from './scenario-actions.ts';
import { checkScenario, stepWhere, type Scenario, type ScenarioStep } from './scenario.ts';

/** Reads and checks a scenario file (not yet against a model: the run does that). */
export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`scenario file ${path}: ${why}`);
  }
  return parseScenarioText(text, path);
}

/** Parses scenario JSON; `source` names the file in messages. */
export function parseScenarioText(text: string, source: string): Scenario {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (error) {
    throw new InputError(`${source}:${jsonErrorPlace(body, (error as Error).message)} invalid JSON (${jsonErrorText((error as Error).message)})`);
  }
  const shape = `expected { "steps": [ { "at": "200ms", "crash": "server0" }, ... ] }`;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new InputError(`${source}: ${shape}`);
  for (const key of Object.keys(root)) {
    if (key !== 'steps' && key !== 'description') throw new InputError(`${source}: unknown key "${key}" (known: steps, description); ${shape}`);
  }
  const steps = (root as Record<string, unknown>)['steps'];
  if (!Array.isArray(steps)) throw new InputError(`${source}: "steps" must be a list; ${shape}`);
  const scenario: Scenario = { source, file: source, steps: steps.map((step: unknown, index) => readStep(step, index, source)) };
  checkScenario(scenario);
  return scenario;
}

function readStep(step: unknown, index: number, source: string): ScenarioStep {
  const where = stepWhere(source, index);
  if (typeof step !== 'object' || step === null || Array.isArray(step)) {
    throw new InputError(`${where}: expected an object like { "at": "1s", "crash": "server0" }, got ${JSON.stringify(step)}`);
  }
  const fields = step as Record<string, unknown>;
  if (!('at' in fields)) throw new InputError(`${where}: missing "at" (when the step happens, e.g. "200ms")`);
  const atUs = readTime(fields['at'], where);
  const actions = Object.keys(fields).filter((key) => key !== 'at');
  if (actions.length === 0) throw new InputError(`${where}: names no action (known: ${actionNames().join(', ')})`);
  if (actions.length > 1) {
    throw new InputError(`${where}: names ${actions.length} actions (${actions.map((a) => `"${a}"`).join(', ')}); a step does one thing`);
  }
  const action = actions[0] as string;
  return { atUs, action, args: fields[action] as JsonValue };
}

function readTime(at: unknown, where: string): number {
  if (typeof at === 'string') return parseDuration(at, `${where}: "at"`);
  if (typeof at === 'number' && Number.isSafeInteger(at) && at >= 0) return at;
  throw new InputError(`${where}: "at" must be a duration string such as "200ms" or an integer of microseconds, got ${JSON.stringify(at)}`);
}

/** `line:column:` of a JSON.parse error, when its message gives a position (empty otherwise). */
function jsonErrorPlace(text: string, message: string): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn !== null) return `${lineColumn[1]}:${lineColumn[2]}:`;
  const position = /at position (\d+)/.exec(message);
  if (position === null) {
    // "Unexpected end of JSON input" has no position: it is at the very end.
    if (!/end of JSON input/.test(message)) return '';
    return placeOf(text, text.length);
  }
  return placeOf(text, Number(position[1]));
}

function placeOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}:`;
}

/** JSON.parse's message without its position (given as line:column instead). */
function jsonErrorText(message: string): string {
  return message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '').replace(/^JSON\.parse: /, '');
}
