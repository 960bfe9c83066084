/**
 * The browser demo in a real browser: builds `examples/browser/`, serves it
 * on 127.0.0.1, drives Debian's Chromium (`/usr/bin/chromium`, headless,
 * through playwright-core; no browser is ever downloaded) and checks that
 *
 * 1. "train" trains LeNet-5 in the page's worker: batches are reported and
 *    the loss of the last batches is well below that of the first ones;
 * 2. the page stays responsive meanwhile: frames keep being drawn, no long
 *    stall of the page's thread, and a digit drawn mid-training is classified;
 * 3. "load" loads `examples/out/mnist-cnn.safetensors` (generated quickly
 *    here if missing), and a drawn "1" gets ten probabilities that sum to 1,
 *    with the shown digit their argmax (and 1 itself when the weights score
 *    ≥ 95 % on MNIST's test set);
 *
 * then saves a screenshot to `.ci/artifacts/browser-demo.png`. Exits 1 on
 * any failure, always closing the browser and the server; gives up after
 * 120 s.
 *
 *   node test/browser/demo.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from '../../examples/browser/build.mjs';
import { startServer } from '../../examples/browser/serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEIGHTS = join(root, 'examples', 'out', 'mnist-cnn.safetensors');
const SCREENSHOT = join(root, '.ci', 'artifacts', 'browser-demo.png');
const TIMEOUT_MS = 120_000;

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const log = (text) => console.log(`[${seconds()}s] ${text}`);

/** @param {unknown} condition @param {string} message */
function check(condition, message) {
  if (!condition) throw new Error(message);
  log(`ok: ${message}`);
}

let server;
let browser; // a persistent browser context
let profile;
const watchdog = setTimeout(() => {
  console.error(`browser demo test: gave up after ${TIMEOUT_MS / 1000} s`);
  void cleanUp().finally(() => process.exit(1));
}, TIMEOUT_MS);

async function cleanUp() {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
  if (profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
  browser = server = profile = undefined;
}

/**
 * Draws one stroke on the pad with the mouse.
 * @param {import('playwright-core').Page} page
 * @param {[number, number][]} points - corners in the pad's 280×280 pixels
 */
async function stroke(page, points) {
  const box = await page.locator('#pad').boundingBox();
  const at = ([x, y]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 12 });
  await page.mouse.up();
}

/** The shown prediction and the bars' probabilities. */
async function readPrediction(page) {
  return page.evaluate(() => ({
    digit: document.querySelector('#prediction').dataset.digit,
    id: Number(document.querySelector('#prediction').dataset.id),
    probabilities: [...document.querySelectorAll('#bars .bar')].map((bar) => Number(bar.dataset.p)),
  }));
}

/** Waits for an answer to a drawing made after prediction `afterId`, and checks it. */
async function checkPrediction(page, afterId, what) {
  await page.waitForFunction((id) => Number(document.querySelector('#prediction').dataset.id) > id && document.querySelector('#prediction').dataset.digit !== '', afterId, { timeout: 10_000 });
  const { digit, id, probabilities } = await readPrediction(page);
  const sum = probabilities.reduce((a, b) => a + b, 0);
  const argmax = probabilities.indexOf(Math.max(...probabilities));
  check(probabilities.length === 10 && Math.abs(sum - 1) < 1e-3, `${what}: ten probabilities summing to 1 (sum ${sum.toFixed(6)})`);
  check(digit === String(argmax), `${what}: the page shows ${digit}, the argmax of the bars (p = ${probabilities[argmax].toFixed(3)})`);
  return { digit, id };
}

async function main() {
  if (!existsSync(WEIGHTS)) {
    log('no examples/out/mnist-cnn.safetensors: training small weights first');
    const run = spawnSync(process.execPath, [
      '--import', 'tsx', 'examples/mnist-cnn.ts', '--epochs', '1', '--limit', '640', '--test-limit', '100', '--out', 'examples/out/mnist-cnn.safetensors',
    ], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
    if (run.status !== 0) throw new Error(`examples/mnist-cnn.ts failed (status ${run.status}${run.error ? `, ${run.error.message}` : ''})`);
  }

  const { files, ms } = await build({ quiet: true });
  log(`built the page in ${ms.toFixed(0)} ms (${Object.entries(files).map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`).join(', ')})`);
  server = await startServer({ quiet: true });
  log(`serving ${server.url}`);

  // A fresh profile folder; playwright takes it as launchPersistentContext's
  // first argument (it refuses a --user-data-dir flag in launch()).
  profile = await mkdtemp(join(tmpdir(), 'tensorgrad-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 960, height: 760 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  log(`launched Chromium ${await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1])}`);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The { url } loader asks for `<file>.gz` before `<file>`; those 404s are expected.
    if (message.type() === 'error' && !/Failed to load resource.*404/.test(message.text())) pageErrors.push(`console error: ${message.text()}`);
  });
  await page.goto(server.url);
  await page.waitForSelector('#train:not([disabled])');

  // 1 + 2: train, draw while training, watch the page's thread.
  await page.click('#train');
  await page.waitForFunction(() => Number(document.querySelector('#stats').dataset.batch) >= 3, null, { timeout: 60_000 });
  log('training started');
  const idBefore = (await readPrediction(page)).id;
  await stroke(page, [[90, 70], [190, 70], [120, 220]]); // a "7"
  const midTraining = await checkPrediction(page, idBefore, 'a 7 drawn while training');
  const stateThen = await page.evaluate(() => document.querySelector('#stats').dataset.state);
  log(`the mid-training drawing was classified as ${midTraining.digit} (training state then: ${stateThen})`);
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('#stats').dataset.state), null, { timeout: 90_000 });
  const stats = await page.evaluate(() => ({ ...document.querySelector('#stats').dataset, status: document.querySelector('#status').textContent }));
  check(stats.state === 'done', `training finished (${stats.status})`);
  const [first, last] = [Number(stats.lossFirst), Number(stats.lossLast)];
  check(Number(stats.batches) > 10 && Number(stats.batch) === Number(stats.batches), `all ${stats.batches} batches reported`);
  check(last < 0.6 * first, `the loss fell: ${first.toFixed(3)} over the first 5 batches, ${last.toFixed(3)} over the last 5`);
  check(Number(stats.testAccuracy) > 0.5, `test accuracy after training: ${(100 * Number(stats.testAccuracy)).toFixed(1)}%`);
  const measured = Number(stats.meterMs) / 1000;
  check(Number(stats.frames) >= 5 * measured, `the page kept drawing frames: ${stats.frames} in the ${measured.toFixed(1)} s of fetching MNIST and training`);
  check(Number(stats.maxStallMs) < 500, `the page's thread never stalled long: longest gap between 10 ms timer ticks ${stats.maxStallMs} ms`);

  // 3: load the saved weights, draw a "1".
  await page.click('#clear');
  await page.click('#load');
  await page.waitForFunction(() => document.querySelector('#model').dataset.source === 'loaded' || document.querySelector('#status').classList.contains('error'), null, { timeout: 15_000 });
  const model = await page.evaluate(() => ({ ...document.querySelector('#model').dataset, text: document.querySelector('#model').textContent, status: document.querySelector('#status').textContent }));
  check(model.source === 'loaded', `loaded the saved weights (${model.status}; ${model.text})`);
  const idLoaded = (await readPrediction(page)).id;
  await stroke(page, [[150, 45], [140, 235]]); // a "1", slightly slanted
  const one = await checkPrediction(page, idLoaded, 'a 1 drawn after loading');
  const testAccuracy = Number(model.testAccuracy);
  if (testAccuracy >= 0.95) check(one.digit === '1', `the loaded LeNet (test accuracy ${(100 * testAccuracy).toFixed(2)}%) reads the drawn 1 as 1`);
  else log(`the loaded weights score ${(100 * testAccuracy).toFixed(1)}% (quick weights): read the 1 as ${one.digit}, not checked`);

  check(pageErrors.length === 0, `no page or console errors${pageErrors.length ? `:\n  ${pageErrors.join('\n  ')}` : ''}`);
  await mkdir(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  log(`saved ${SCREENSHOT.slice(root.length + 1)}`);
}

try {
  await main();
  log('browser demo test passed');
} catch (error) {
  console.error(`browser demo test FAILED: ${error instanceof Error ? error.stack ?? error.message : error}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
