/**
 * Model validation: every malformed model definition is a ModelDefinitionError
 * (exit 3) whose one-line message names the model and the field, never a
 * TypeError from deep inside the simulator.
 */
import { describe, expect, it } from 'vitest';
import { always, defineModel, defineNode, eventually, sometimes, Simulation } from '../../src/index.ts';
import { validateModel } from '../../src/node/model.ts';
import { ModelDefinitionError } from '../../src/sim/errors.ts';

const idle = defineNode<null, null>({ start: () => null });

/** A valid model as a plain object, with `extra` fields replaced. */
function modelWith(extra: Record<string, unknown>): Record<string, unknown> {
  return { name: 'probe', description: 'a probe', roles: { a: { count: 1, node: idle } }, ...extra };
}

function errorOf(model: unknown): ModelDefinitionError {
  try {
    validateModel(model);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelDefinitionError);
    const e = error as ModelDefinitionError;
    expect(e.exitCode).toBe(3);
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('validateModel accepted the model');
}

describe('validateModel accepts', () => {
  it('a well-formed model with properties, bugs, defaults and dashed role names', () => {
    const model = modelWith({
      roles: { 'web-server': { count: 11, node: idle }, client: { count: 2, node: idle, crashable: false }, 'x-': { count: 1, node: idle } },
      properties: [always('fine', () => true), eventually('later', () => true), sometimes('once', () => true)],
      bugs: { 'skip-ack': 'never acknowledges' },
      defaults: { timeUs: 5 },
    });
    expect(() => validateModel(model)).not.toThrow();
    expect(() => new Simulation(model as never, { seed: 1 }).run()).not.toThrow();
  });

  it('a single-letter role and a role with a digit in the middle', () => {
    expect(() => validateModel(modelWith({ roles: { a: { count: 1, node: idle }, r2d: { count: 1, node: idle } } }))).not.toThrow();
  });
});

describe('validateModel role names', () => {
  it('rejects a role name ending in a digit: server x11 and server1 x2 would both make server10', () => {
    const model = modelWith({ roles: { server: { count: 11, node: idle }, server1: { count: 2, node: idle } } });
    const message = errorOf(model).message;
    expect(message).toContain('model probe');
    expect(message).toContain('role name "server1" must not end in a digit');
  });

  it('rejects it through defineModel and new Simulation too', () => {
    const roles = { server: { count: 11, node: idle }, server1: { count: 2, node: idle } };
    expect(() => defineModel({ name: 'clash', description: 'x', roles })).toThrow(ModelDefinitionError);
    expect(() => new Simulation({ name: 'clash', description: 'x', roles } as never)).toThrow(/server1.*must not end in a digit/);
  });

  it.each(['0', '1abc', 'a b', 'a_b', ''])('rejects the role name %j', (role) => {
    expect(errorOf(modelWith({ roles: { [role]: { count: 1, node: idle } } })).message).toContain(`role name "${role}"`);
  });
});

describe('validateModel rejects, naming the model and the field', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a null role', { roles: { a: null } }, 'roles.a must be an object { count, node }, got null'],
    ['a role that is a number', { roles: { a: 3 } }, 'roles.a must be an object { count, node }, got 3'],
    ['a role that is an array', { roles: { a: [] } }, 'roles.a must be an object { count, node }, got an array'],
    ['a role without count', { roles: { a: { node: idle } } }, 'roles.a.count must be a positive integer, got undefined'],
    ['a zero count', { roles: { a: { count: 0, node: idle } } }, 'roles.a.count must be a positive integer, got 0'],
    ['a string count', { roles: { a: { count: '2', node: idle } } }, 'roles.a.count must be a positive integer, got "2"'],
    ['a role without node', { roles: { a: { count: 1 } } }, 'roles.a.node must be a node behaviour (use defineNode), got undefined'],
    ['a null node', { roles: { a: { count: 1, node: null } } }, 'roles.a.node must be a node behaviour'],
    ['a node without start', { roles: { a: { count: 1, node: {} } } }, 'roles.a.node needs a start() handler'],
    ['an onMessage that is not a function', { roles: { a: { count: 1, node: { start: () => null, onMessage: 1 } } } }, 'roles.a.node.onMessage must be a function'],
    ['a crashable that is not a boolean', { roles: { a: { count: 1, node: idle, crashable: 'no' } } }, 'roles.a.crashable must be true or false'],
    ['no roles', { roles: {} }, '"roles" must name at least one role'],
    ['roles as an array', { roles: [{ count: 1, node: idle }] }, '"roles" must name at least one role'],
    ['properties [undefined]', { properties: [undefined] }, 'properties[0] must be a property made by always, eventually or sometimes(name, holds) with a non-empty name, got undefined'],
    ['a property that is a bare function', { properties: [() => true] }, 'properties[0] must be a property made by always, eventually or sometimes(name, holds) with a non-empty name, got a function'],
    ['a property with an empty name', { properties: [always('', () => true)] }, 'properties[0] must be a property made by always, eventually or sometimes(name, holds) with a non-empty name'],
    ['a property of another kind', { properties: [always('ok', () => true), { kind: 'never', name: 'x', holds: () => true }] }, 'properties[1]'],
    ['a property without a name', { properties: [{ kind: 'always', holds: () => true }] }, 'properties[0]'],
    ['a property without holds', { properties: [{ kind: 'always', name: 'x' }] }, 'properties[0]'],
    ['a sometimes without holds', { properties: [{ kind: 'sometimes', name: 'x' }] }, 'properties[0]'],
    ['two properties with one name', { properties: [always('x', () => true), sometimes('x', () => true)] }, 'properties[1]: another property is already named "x"'],
    ['properties that are not an array', { properties: always('x', () => true) }, '"properties" must be an array of always/eventually/sometimes(name, holds), got an object'],
    ['bugs as a string', { bugs: 'oops' }, '"bugs" must be an object mapping bug-flag names to one-line descriptions, got "oops"'],
    ['bugs as an array', { bugs: ['a'] }, '"bugs" must be an object'],
    ['bugs null', { bugs: null }, '"bugs" must be an object'],
    ['a bug without a string description', { bugs: { 'skip-ack': true } }, 'bugs["skip-ack"] must be a one-line description string, got true'],
    ['a missing description', { description: undefined }, '"description" must be a string'],
    ['a numeric description', { description: 42 }, '"description" must be a string (one line for `faultline models`), got 42'],
    ['defaults that are not an object', { defaults: 'fast' }, '"defaults" must be an object of options, got "fast"'],
  ])('%s', (_what, extra, fragment) => {
    const message = errorOf(modelWith(extra)).message;
    expect(message.startsWith('model probe: ')).toBe(true);
    expect(message).toContain(fragment);
  });

  it('a model that is not an object, or has no name', () => {
    expect(errorOf(null).message).toContain('a model must be an object');
    expect(errorOf('ping-pong').message).toContain('a model must be an object');
    expect(errorOf(modelWith({ name: '' })).message).toContain('"name"');
  });

  it('bugs: "oops" no longer makes `--bug 0` a valid flag', () => {
    expect(() => new Simulation(modelWith({ bugs: 'oops' }) as never, { bugs: ['0'] })).toThrow(ModelDefinitionError);
  });
});

describe('validateModel messages stay on one line', () => {
  it('for a role name, a bug flag or a model name with a newline in it', () => {
    expect(errorOf(modelWith({ roles: { 'a\nb': { count: 1, node: idle } } })).message).toContain('role name "a\\nb"');
    expect(errorOf(modelWith({ bugs: { 'x\ny': 1 } })).message).toContain('bugs["x\\ny"]');
    expect(errorOf(modelWith({ name: 'two\nlines', roles: null })).message).toBe('model two lines: "roles" must name at least one role');
  });
});
