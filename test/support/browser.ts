/**
 * Headless Chromium for the viewer's browser tests and benchmark: Debian's
 * package at /usr/bin/chromium (`.ci/run` installs it), driven by
 * playwright-core, which never downloads a browser of its own. A missing
 * browser is an error that says how to install it, never a skipped test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless run with no sandbox (CI runs as root), no GPU and no traffic of the browser's own. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; throws a clear error when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no browser at ${CHROMIUM_PATH}: the viewer's browser tests need Debian's chromium (apt-get install -y chromium; .ci/run does this)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
