/**
 * The HTML diagram in a real browser (headless Chromium via playwright-core):
 * pages of two committed traces, checked against the traces themselves —
 * lanes, arrows, drop crosses, a clicked event's payload and node states,
 * stepping with the keyboard, filters and search, the failure mark, no
 * network traffic, and drawing only what is on screen. Screenshots go to
 * test-output/view/. No browser is a failure, never a skip.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { REPO_ROOT } from '../cli/helpers.ts';
import { readTraceFile } from '../../src/trace/file.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { buildPageData, renderPage } from '../../src/view/html.ts';
import { prepareReplay } from '../../src/trace/replay.ts';
import { loadModel } from '../../src/cli/load-model.ts';
import type { ParsedTrace } from '../../src/trace/codec.ts';
import { divergedTrace } from '../support/diverged-trace.ts';

const OUT = join(REPO_ROOT, 'test-output', 'view');
const PING_PONG = join(REPO_ROOT, 'traces/ping-pong-chaos-seed3.jsonl');
const COUNTER = join(REPO_ROOT, 'traces/replicated-counter-ack-before-sync-seed7.jsonl');
const ROW_PX = 20;

async function writePage(trace: ParsedTrace, tracePath: string, name: string): Promise<string> {
  const path = join(OUT, name);
  writeFileSync(path, renderPage(await buildPageData(trace, tracePath)));
  return path;
}

/** A node's state right after event `n`, from a replay stepped in this test. */
async function stateAfter(trace: ParsedTrace, node: string, n: number): Promise<unknown> {
  const { model } = await loadModel(trace.header.model);
  let count = 0;
  const { sim } = prepareReplay(trace, model, [{ header() {}, event() { count++; } }]);
  // Step until the step that contains event n is done (a state change belongs to its step's first event).
  while (count < n) sim.step();
  return sim.stateOf(node) ?? null;
}

const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).textContent()) ?? '';
const shown = async (page: Page): Promise<number> => Number(await page.locator('#summary').getAttribute('data-shown'));

describe('the HTML diagram in Chromium', () => {
  let browser: Browser;
  let pingPong: ParsedTrace;
  let pingPongPage: string;
  let counterPage: string;
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    pingPong = readTraceFile(PING_PONG);
    pingPongPage = await writePage(pingPong, PING_PONG, 'ping-pong-chaos-seed3.html');
    counterPage = await writePage(readTraceFile(COUNTER), COUNTER, 'replicated-counter-seed7.html');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(path: string, heightPx = 800): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: heightPx } });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    expect(errors).toEqual([]);
    return page;
  }

  it('draws one lane per node and one arrow per message, with a cross for each drop', async () => {
    const events = pingPong.events;
    // Tall enough for every row, so every arrow is drawn at once and can be counted.
    const page = await open(pingPongPage, events.length * ROW_PX + 200);
    const nodes = events.filter((e) => e.kind === 'start').map((e) => (e as { node: string }).node);
    expect(await page.locator('.lane-head').allTextContents()).toEqual(nodes);
    const messages = events.filter((e) => e.kind === 'send' || e.kind === 'duplicate');
    expect(await page.locator('path.arrow').count()).toBe(messages.length); // 160 sends + 4 duplicates
    expect(await page.locator('path.arrow.copy').count()).toBe(4);
    expect(await page.locator('g.drop').count()).toBe(events.filter((e) => e.kind === 'drop').length);
    expect(await page.locator('path.arrow[marker-end]').count()).toBe(events.filter((e) => e.kind === 'deliver').length);
    // Every event has its mark; the two crashes break server lanes; partitions are shaded.
    expect(await page.locator('#diagram [data-n].ev').count()).toBe(events.length);
    expect(await page.locator('rect.span-down').count()).toBe(2);
    expect(await page.locator('rect.span-partition').count()).toBe(3);
    await page.close();
  });

  it('shows a clicked event\'s payload and its node\'s state before and after; j and k step', async () => {
    const page = await open(pingPongPage);
    const send = pingPong.events[7] as Extract<TraceEvent, { kind: 'send' }>;
    expect(send.kind).toBe('send');
    await page.click('[data-n="8"]');
    expect(await text(page, '#detail-title')).toBe('#8 send');
    expect(JSON.parse(await text(page, '#payload'))).toEqual(send.payload);
    await page.keyboard.press('j');
    expect(await text(page, '#detail-title')).toBe(`#9 ${pingPong.events[8]?.kind}`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    expect(await text(page, '#detail-title')).toBe('#8 send');
    await page.screenshot({ path: join(OUT, 'ping-pong-selected.png') });
    expect(statSync(join(OUT, 'ping-pong-selected.png')).size).toBeGreaterThan(10_000);

    // A delivery late in the run, reached through the from box: its node's state as a replay sees it.
    const deliver = [...pingPong.events].reverse().find((e) => e.kind === 'deliver' && e.to === 'client0' && e.n < 400) as Extract<TraceEvent, { kind: 'deliver' }>;
    await page.fill('#from', String(deliver.n));
    await page.click(`[data-n="${deliver.n}"]`);
    expect(await text(page, '#detail-title')).toBe(`#${deliver.n} deliver`);
    expect(JSON.parse(await text(page, '#state-before'))).toEqual(await stateAfter(pingPong, 'client0', deliver.n - 1));
    expect(JSON.parse(await text(page, '#state-after'))).toEqual(await stateAfter(pingPong, 'client0', deliver.n));
    expect(await text(page, '#state-before')).not.toBe(await text(page, '#state-after'));
    await page.close();
  });

  it('filters by node, message kind, event kind, window and text', async () => {
    const events = pingPong.events;
    const page = await open(pingPongPage);
    expect(await shown(page)).toBe(events.length);
    await page.selectOption('#event-kind', { label: 'crash' });
    expect(await shown(page)).toBe(2);
    await page.selectOption('#event-kind', { label: 'all' });
    await page.selectOption('#message-kind', { label: 'pong' });
    const pongOrNoMessage = events.filter((e) => !('msg' in e) || ('payload' in e ? (e.payload as { kind: string }).kind === 'pong' : false));
    // Duplicates carry no payload: they count as the kind of the message they copy.
    const pongCopies = events.filter((e) => e.kind === 'duplicate' && (events.find((s) => s.kind === 'send' && s.msg === e.copyOf) as unknown as { payload: { kind: string } }).payload.kind === 'pong');
    expect(await shown(page)).toBe(pongOrNoMessage.length + pongCopies.length);
    await page.selectOption('#message-kind', { label: 'all' });
    await page.click('#node-filter summary');
    await page.uncheck('#node-list input[data-lane="1"]');
    expect(await page.locator('.lane-head').allTextContents()).toEqual(['client0', 'server1', 'server2']);
    const onServer0 = events.filter((e) => (e.kind === 'send' ? e.from : 'to' in e ? e.to : 'node' in e ? e.node : null) === 'server0');
    expect(await shown(page)).toBe(events.length - onServer0.length);
    await page.check('#node-list input[data-lane="1"]');
    await page.fill('#from', '1s');
    await page.fill('#to', '1.2s');
    expect(await shown(page)).toBe(events.filter((e) => e.timeUs >= 1_000_000 && e.timeUs <= 1_200_000).length);
    await page.fill('#to', 'soon');
    expect(await text(page, '#filter-error')).toMatch(/^to: "soon" is neither/);
    await page.fill('#from', '300ms');
    await page.fill('#to', '100ms');
    expect(await text(page, '#filter-error')).toBe('from is after to: 300ms comes after 100ms, so no event could be shown');
    await page.fill('#to', '1.2s');
    expect(await text(page, '#filter-error')).toBe('');
    await page.fill('#to', '');
    await page.fill('#from', '');
    await page.fill('#search', 'PARTITION');
    const lines = readFileSync(PING_PONG, 'utf8').split('\n').slice(1, -1);
    expect(await shown(page)).toBe(lines.filter((line) => line.toLowerCase().includes('partition')).length);
    await page.screenshot({ path: join(OUT, 'ping-pong-search.png') });
    await page.close();
  });

  it('marks the failing property where it failed, and draws only the rows on screen', async () => {
    const page = await open(counterPage);
    expect(await text(page, '#title')).toContain('FAILED: safety "acknowledged increments survive crashes" at #905');
    expect(await page.locator('#diagram [data-n]').count()).toBeLessThan(80); // of 906 events
    await page.fill('#from', '890');
    expect(await page.locator('.failure-label').textContent()).toBe('✗ FAILURE safety "acknowledged increments survive crashes"');
    await page.click('[data-n="905"]');
    expect(await text(page, '#event-json')).toContain('"failure": "safety"');
    await page.screenshot({ path: join(OUT, 'replicated-counter-failure.png') });
    await page.close();
  });

  it('works without node states when the model cannot be loaded, and says why', async () => {
    const lines = readFileSync(PING_PONG, 'utf8').split('\n');
    lines[0] = (lines[0] as string).replace('"model":"ping-pong"', '"model":"./no-such-model.ts"');
    const path = join(OUT, 'unloadable.jsonl');
    writeFileSync(path, lines.join('\n'));
    const page = await open(await writePage(readTraceFile(path), path, 'unloadable.html'));
    expect(await text(page, '#states-note')).toMatch(/^node states are not shown: the model "\.\/no-such-model\.ts" could not be replayed \(unknown model/);
    await page.click('[data-n="8"]');
    expect(await text(page, '#detail-title')).toBe('#8 send');
    expect(await page.locator('#state-before').count()).toBe(0);
    await page.close();
  });

  it('after a divergence, says a node\'s state is unknown instead of showing the last one it had', async () => {
    const { trace, path } = divergedTrace(OUT);
    const page = await open(await writePage(trace, path, 'diverged.html'));
    expect(await text(page, '#states-note')).toMatch(/^node states stop at event #199: the replay diverged at #202 /);
    const unknown = 'state unknown (node states stop at #199: see the note below)';
    // #198 (client0's last delivery before the step that diverged): known on both sides.
    await page.fill('#from', '190');
    await page.click('[data-n="198"]');
    expect(JSON.parse(await text(page, '#state-after'))).toEqual(await stateAfter(pingPong, 'client0', 198));
    // #199 began the step that diverged: the state before it is known, the state after is not.
    await page.click('[data-n="199"]');
    expect(await text(page, '#detail-title')).toBe('#199 timer-fire');
    expect(JSON.parse(await text(page, '#state-before'))).toEqual(await stateAfter(pingPong, 'client0', 198));
    expect(await text(page, '#state-after')).toBe(unknown);
    // Long after: neither, though client0 changed many times in the recorded run.
    await page.fill('#from', '390');
    await page.click('[data-n="399"]');
    expect(await text(page, '#detail-title')).toBe('#399 deliver');
    expect(await text(page, '#state-before')).toBe(unknown);
    expect(await text(page, '#state-after')).toBe(unknown);
    await page.close();
  });

  it('made no network request in any of these pages', () => {
    expect(requests).toEqual([]);
  });
});
