/**
 * `eventually` and `sometimes` properties: when they are judged, what a run
 * that breaks them reports (kind, property, event number, time), where a
 * `sometimes` is first seen, and the campaign scope.
 */
import { describe, expect, it } from 'vitest';
import {
  always,
  defineModel,
  defineNode,
  eventually,
  ms,
  MemorySink,
  Simulation,
  sometimes,
  type Property,
  type SimOptionsInput,
  type TraceEvent,
} from '../../src/index.ts';

interface JobState {
  started: boolean;
  done: boolean;
}
type Timer = 'begin' | 'finish';

/** A worker that starts a job at 10 ms and finishes it at 50 ms; no messages at all. */
const worker = defineNode<JobState, null, Timer>({
  start(ctx) {
    ctx.setTimer(ms(10), 'begin');
    return { started: false, done: false };
  },
  onTimer(state, timer, ctx) {
    if (timer === 'begin') {
      state.started = true;
      ctx.setTimer(ms(40), 'finish');
    } else {
      state.done = true;
    }
  },
});

/** A node that does nothing at all. */
const idle = defineNode<JobState, null, Timer>({ start: () => ({ started: false, done: false }) });

const job = (view: { state<S>(id: string): S | undefined }): JobState => view.state<JobState>('worker0') as JobState;

function jobModel(properties: Property[], node = worker) {
  return defineModel<null, Timer>({ name: 'job', description: 'one worker, one job', roles: { worker: { count: 1, node } }, properties });
}

function run(properties: Property[], options: SimOptionsInput, node = worker) {
  const sink = new MemorySink();
  const result = new Simulation(jobModel(properties, node), { seed: 1, ...options }, { sinks: [sink] }).run();
  return { result, events: sink.events };
}

const failureEvent = (events: TraceEvent[]) => events.find((e) => e.kind === 'failure');

describe('eventually', () => {
  const done = eventually('the job finishes', (view) => job(view).done);

  it('passes when it has become true by the end of the run', () => {
    const { result } = run([done], { timeUs: ms(100) });
    expect(result.outcome).toBe('pass');
    // After the finish timer at 50 ms the worker sets no timer: the run goes quiet.
    expect(result.endReason).toBe('quiescent');
    expect(result.endTimeUs).toBe(ms(50));
  });

  it('fails as liveness when it is false at the end, with the end event number and time', () => {
    const { result, events } = run([done], { timeUs: ms(40) });
    expect(result.outcome).toBe('fail');
    const failure = result.failure;
    expect(failure?.kind).toBe('liveness');
    expect(failure?.property).toBe('the job finishes');
    expect(failure?.timeUs).toBe(ms(40));
    expect(failure?.message).toBe('eventually property "the job finishes" does not hold when the run ends (time-budget at 40ms)');
    // The failure is the last event before `end`, which keeps the budget as its reason.
    expect(events.map((e) => e.kind).slice(-2)).toEqual(['failure', 'end']);
    expect(failure?.eventNumber).toBe(events.length - 1);
    expect(failureEvent(events)).toMatchObject({ failure: 'liveness', property: 'the job finishes', timeUs: ms(40) });
    expect(events.at(-1)).toMatchObject({ kind: 'end', reason: 'time-budget', timeUs: ms(40) });
    expect(result.endReason).toBe('time-budget');
  });

  it('is judged only at the end: false for most of a passing run is fine', () => {
    let calls = 0;
    const counted = eventually('counted', (view) => {
      calls++;
      return job(view).done;
    });
    const { result } = run([counted], { timeUs: ms(100) });
    expect(result.outcome).toBe('pass');
    expect(calls).toBe(1);
  });

  it('is judged when the run goes quiet and when the event budget runs out', () => {
    // The worker sets no timer after finishing: the queue empties at 50 ms.
    const quiet = run([done], { timeUs: ms(1_000) });
    expect(quiet.result.endReason).toBe('quiescent');
    expect(quiet.result.outcome).toBe('pass');
    const early = run([eventually('never', () => false)], { timeUs: ms(1_000) });
    expect(early.result.endReason).toBe('quiescent');
    expect(early.result.failure?.message).toBe('eventually property "never" does not hold when the run ends (quiescent at 50ms)');
    const budget = run([done], { timeUs: ms(1_000), maxEvents: 2 });
    expect(budget.result.endReason).toBe('event-budget');
    expect(budget.result.failure?.kind).toBe('liveness');
    expect(budget.result.failure?.message).toContain('(event-budget at 10ms)');
  });

  it('is not judged when the run already failed', () => {
    let calls = 0;
    const never = eventually('never', () => {
      calls++;
      return false;
    });
    const { result } = run([always('not started', (view) => !job(view).started), never], { timeUs: ms(100) });
    expect(result.failure?.kind).toBe('safety');
    expect(result.failure?.property).toBe('not started');
    expect(calls).toBe(0);
  });

  it('one that throws is a model crash naming it', () => {
    const { result } = run([eventually('broken', () => { throw new Error('no view for you'); })], { timeUs: ms(100) });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.property).toBe('broken');
    expect(result.failure?.message).toBe('property "broken" threw Error: no view for you');
  });

  it('one that reads real time is nondeterminism', () => {
    const { result } = run([eventually('clock', () => Date.now() > 0)], { timeUs: ms(100) });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure?.message).toContain('Date.now');
  });

  it('says when random faults were still on at the end', () => {
    const { result } = run([eventually('never', () => false)], { timeUs: ms(100), faults: { crash: {} } });
    expect(result.failure?.message).toBe(
      'eventually property "never" does not hold when the run ends (time-budget at 100ms); random faults were still on (no liveness phase: see settleUs, --settle)',
    );
    const settled = run([eventually('never', () => false)], { timeUs: ms(100), settleUs: ms(30), faults: { crash: {} } });
    expect(settled.result.failure?.message).toBe('eventually property "never" does not hold when the run ends (time-budget at 100ms), 30ms into the liveness phase');
  });
});

describe('sometimes', () => {
  const started = sometimes('the job starts', (view) => job(view).started);

  it('records the event number and time where it first held', () => {
    const { result, events } = run([started], { timeUs: ms(100) });
    expect(result.outcome).toBe('pass');
    // The `begin` timer fires at 10 ms and its handler sets one timer: the last event then is that timer-set.
    const fire = events.find((e) => e.kind === 'timer-fire') as TraceEvent;
    expect(fire).toMatchObject({ timeUs: ms(10), payload: 'begin' });
    expect(events[fire.n]).toMatchObject({ kind: 'timer-set', n: fire.n + 1 });
    expect(result.sometimes).toEqual([{ name: 'the job starts', firstSeenEvent: fire.n + 1, firstSeenUs: ms(10) }]);
  });

  it('is checked after every event only until it is seen', () => {
    let calls = 0;
    const counted = sometimes('counted', (view) => {
      calls++;
      return job(view).started;
    });
    const { result } = run([counted], { timeUs: ms(100) });
    // Checked after the start (1 event) and after the begin timer: then never again.
    expect(result.steps).toBe(3);
    expect(calls).toBe(2);
    expect(result.sometimes[0]?.firstSeenEvent).toBe(4);
  });

  it('reports each one, seen or not, in declaration order', () => {
    const never = sometimes('never', () => false);
    const { result } = run([never, started], { timeUs: ms(100), sometimesScope: 'campaign' });
    expect(result.sometimes).toEqual([
      { name: 'never', firstSeenEvent: null, firstSeenUs: null },
      { name: 'the job starts', firstSeenEvent: 4, firstSeenUs: ms(10) },
    ]);
  });

  it('a model that does nothing fails on its sometimes (liveness, never seen)', () => {
    const { result, events } = run([started, sometimes('the job finishes', (view) => job(view).done)], { timeUs: ms(100) }, idle);
    expect(result.outcome).toBe('fail');
    expect(result.failure?.kind).toBe('liveness');
    expect(result.failure?.property).toBe('the job starts');
    expect(result.failure?.message).toBe(
      'sometimes property "the job starts" was never seen in this run (1 events over 0us); also never seen: "the job finishes"',
    );
    // The idle node sets no timer: the run goes quiet right after its start.
    expect(result.failure?.timeUs).toBe(0);
    expect(result.failure?.eventNumber).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['start', 'failure', 'end']);
    expect(result.endReason).toBe('quiescent');
  });

  it("with sometimesScope 'campaign' a run that never sees it passes and still reports it", () => {
    const { result, events } = run([started], { timeUs: ms(100), sometimesScope: 'campaign' }, idle);
    expect(result.outcome).toBe('pass');
    expect(result.sometimes).toEqual([{ name: 'the job starts', firstSeenEvent: null, firstSeenUs: null }]);
    expect(events.some((e) => e.kind === 'failure')).toBe(false);
  });

  it('an eventually failure is reported before an unseen sometimes', () => {
    const { result } = run([started, eventually('the job finishes', (view) => job(view).done)], { timeUs: ms(100) }, idle);
    expect(result.failure?.property).toBe('the job finishes');
  });

  it('one that throws is a model crash', () => {
    const { result } = run([sometimes('broken', () => { throw new TypeError('bad'); })], { timeUs: ms(100) });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toBe('property "broken" threw TypeError: bad');
    // Checked after the first event (the start, which recorded start and timer-set): the failure is event 3.
    expect(result.failure?.eventNumber).toBe(3);
  });
});
