/**
 * The browser demo's page: a canvas to draw a digit on, the model's ten
 * probabilities as bars, a live training chart, and buttons to train LeNet-5
 * on a subset of MNIST, load the weights `examples/mnist-cnn` saved, or clear
 * the drawing.
 *
 * The model lives in a Web Worker (`worker.ts`), so this thread only draws:
 * the page stays responsive while the worker trains. Figures the browser
 * test reads are mirrored in data attributes (`#stats`, `#model`,
 * `#prediction`, the bars' `data-p`).
 */
import { TrainingChart } from './chart.js';
import { SIZE, toMnistPixels } from './preprocess.js';
import type { BatchReport, Reply, Request } from './protocol.js';

/** What "train" does: LeNet-5, Adam, one pass over the first 5 000 training images. */
const TRAINING = { limit: 5000, testLimit: 1000, epochs: 1, batchSize: 32, lr: 2e-3 };
/** Ink width on the 280×280 pad: about 2 pixels after scaling to MNIST's 20×20 box, like MNIST's pens. */
const PEN_WIDTH = 20;
/** Batches averaged for the first and last loss figures in `#stats`. */
const WINDOW = 5;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pad = byId<HTMLCanvasElement>('pad');
const preview = byId<HTMLCanvasElement>('preview');
const buttons = { train: byId<HTMLButtonElement>('train'), load: byId<HTMLButtonElement>('load'), clear: byId<HTMLButtonElement>('clear') };
const status = byId<HTMLParagraphElement>('status');
const stats = byId<HTMLDivElement>('stats');
const modelInfo = byId<HTMLSpanElement>('model');
const prediction = byId<HTMLDivElement>('prediction');
const chart = new TrainingChart(byId<HTMLCanvasElement>('chart'));

const padContext = pad.getContext('2d', { willReadFrequently: true })!;
const previewContext = preview.getContext('2d')!;
const bars = buildBars(byId<HTMLDivElement>('bars'));

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (request: Request, transfer: Transferable[] = []): void => worker.postMessage(request, transfer);

// ---- drawing -------------------------------------------------------------

let inked = false;
let last: { x: number; y: number } | null = null;

function clearPad(): void {
  padContext.fillStyle = '#000';
  padContext.fillRect(0, 0, pad.width, pad.height);
  previewContext.clearRect(0, 0, SIZE, SIZE);
  inked = false;
  staleUpTo = nextId; // answers to requests sent before the clear are dropped
  showProbabilities(null);
}

/** The pointer's position in canvas pixels (the canvas may be shown smaller than 280×280). */
function padPoint(event: PointerEvent): { x: number; y: number } {
  const box = pad.getBoundingClientRect();
  return { x: ((event.clientX - box.left) * pad.width) / box.width, y: ((event.clientY - box.top) * pad.height) / box.height };
}

function strokeTo(point: { x: number; y: number }): void {
  padContext.strokeStyle = '#fff';
  padContext.lineWidth = PEN_WIDTH;
  padContext.lineCap = 'round';
  padContext.lineJoin = 'round';
  padContext.beginPath();
  padContext.moveTo((last ?? point).x, (last ?? point).y);
  padContext.lineTo(point.x, point.y);
  padContext.stroke();
  last = point;
  inked = true;
  requestPrediction();
}

pad.addEventListener('pointerdown', (event) => {
  pad.setPointerCapture(event.pointerId);
  last = null;
  strokeTo(padPoint(event));
});
pad.addEventListener('pointermove', (event) => {
  if (last === null) return;
  for (const e of event.getCoalescedEvents?.() ?? [event]) strokeTo(padPoint(e));
});
for (const type of ['pointerup', 'pointercancel'] as const) pad.addEventListener(type, () => (last = null));

// ---- predictions ---------------------------------------------------------

let nextId = 0;
let staleUpTo = 0;
let inFlight = false;
let dirty = false;

/** Sends the drawing to the worker; at most one request is in flight, and the latest drawing always gets an answer. */
function requestPrediction(): void {
  if (!inked) return;
  if (inFlight) {
    dirty = true;
    return;
  }
  const pixels = toMnistPixels(padContext.getImageData(0, 0, pad.width, pad.height).data, pad.width, pad.height);
  if (pixels === null) return;
  drawPreview(pixels);
  inFlight = true;
  dirty = false;
  send({ type: 'predict', id: ++nextId, pixels }, [pixels.buffer]);
}

/** Shows what the model sees: the 28×28 input, grey levels as MNIST stores them. */
function drawPreview(pixels: Float32Array): void {
  const image = previewContext.createImageData(SIZE, SIZE);
  pixels.forEach((value, i) => {
    image.data.fill(Math.round(255 * value), 4 * i, 4 * i + 3);
    image.data[4 * i + 3] = 255;
  });
  previewContext.putImageData(image, 0, 0);
}

function buildBars(container: HTMLDivElement): { row: HTMLDivElement; fill: HTMLSpanElement; value: HTMLSpanElement }[] {
  return Array.from({ length: 10 }, (_, digit) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.dataset['digit'] = String(digit);
    row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="fill"></span></span><span class="value">–</span>`;
    container.append(row);
    return { row, fill: row.querySelector<HTMLSpanElement>('.fill')!, value: row.querySelector<HTMLSpanElement>('.value')! };
  });
}

function showProbabilities(probabilities: number[] | null, id = 0): void {
  const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  bars.forEach(({ row, fill, value }, digit) => {
    const p = probabilities?.[digit] ?? 0;
    fill.style.width = `${100 * p}%`;
    value.textContent = probabilities ? `${(100 * p).toFixed(1)}%` : '–';
    row.dataset['p'] = probabilities ? String(p) : '';
    row.classList.toggle('best', digit === best);
  });
  prediction.textContent = probabilities ? String(best) : '?';
  prediction.dataset['digit'] = probabilities ? String(best) : '';
  prediction.dataset['id'] = String(id);
  prediction.title = probabilities ? `${(100 * probabilities[best]!).toFixed(1)}% sure` : 'draw a digit';
}

// ---- training and loading ------------------------------------------------

const losses: number[] = [];
const accuracies: number[] = [];
const meter = responsivenessMeter();
let chartQueued = false;

function setBusy(busy: boolean): void {
  buttons.train.disabled = busy;
  buttons.load.disabled = busy;
}

function say(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

function showBatch(report: BatchReport): void {
  losses.push(report.loss);
  accuracies.push(report.accuracy);
  chart.push(report.loss, report.accuracy);
  if (!chartQueued) {
    chartQueued = true;
    requestAnimationFrame(() => {
      chartQueued = false;
      chart.draw();
    });
  }
  const recentLoss = mean(losses.slice(-WINDOW));
  const recentAccuracy = mean(accuracies.slice(-WINDOW));
  Object.assign(stats.dataset, {
    state: 'training', batch: String(report.batch), batches: String(report.batches),
    lossFirst: String(mean(losses.slice(0, WINDOW))), lossLast: String(recentLoss), accuracyLast: String(recentAccuracy),
  });
  stats.textContent =
    `batch ${report.batch}/${report.batches} · loss ${recentLoss.toFixed(3)} · accuracy ${(100 * recentAccuracy).toFixed(0)}% · ` +
    `${Math.round(report.imagesPerSecond)} images/s · ${meter.describe()}`;
  requestPrediction(); // the bars follow the model as it learns
}

buttons.train.addEventListener('click', () => {
  setBusy(true);
  losses.length = accuracies.length = 0;
  chart.reset(Math.ceil(TRAINING.limit / TRAINING.batchSize) * TRAINING.epochs);
  Object.assign(stats.dataset, { state: 'loading', batch: '0', lossFirst: '', lossLast: '', accuracyLast: '', testAccuracy: '' });
  stats.textContent = '';
  meter.start();
  send({ type: 'train', url: new URL('data/mnist', document.baseURI).href, ...TRAINING });
});

buttons.load.addEventListener('click', () => {
  setBusy(true);
  send({ type: 'load', url: new URL('weights/mnist-cnn.safetensors', document.baseURI).href });
});

buttons.clear.addEventListener('click', clearPad);

worker.addEventListener('message', (event: MessageEvent<Reply>) => {
  const reply = event.data;
  switch (reply.type) {
    case 'prediction':
      inFlight = false;
      if (reply.id > staleUpTo) showProbabilities(reply.probabilities, reply.id);
      if (dirty) requestPrediction();
      break;
    case 'status':
      say(reply.text);
      break;
    case 'batch':
      showBatch(reply);
      break;
    case 'trained': {
      meter.stop();
      const accuracy = `${(100 * reply.testAccuracy).toFixed(1)}%`;
      Object.assign(stats.dataset, { state: 'done', testAccuracy: String(reply.testAccuracy), seconds: reply.seconds.toFixed(1) });
      stats.textContent += ` · test accuracy ${accuracy} on ${reply.testImages.toLocaleString('en-US')} images`;
      setModel('trained', `LeNet-5 trained here (test accuracy ${accuracy})`, reply.testAccuracy);
      say(`trained in ${reply.seconds.toFixed(1)} s: draw a digit, or load the weights trained on all 60 000 images`);
      setBusy(false);
      requestPrediction();
      break;
    }
    case 'loaded': {
      const accuracy = Number(reply.metadata['testAccuracy']);
      const figure = Number.isFinite(accuracy) ? ` (test accuracy ${(100 * accuracy).toFixed(2)}%)` : '';
      setModel('loaded', `LeNet-5 loaded from mnist-cnn.safetensors${figure}`, accuracy);
      say(`loaded ${reply.parameters.toLocaleString('en-US')} parameters from ${new URL(reply.url).pathname}: draw a digit`);
      setBusy(false);
      requestPrediction();
      break;
    }
    case 'error':
      meter.stop();
      if (stats.dataset['state'] === 'loading' || stats.dataset['state'] === 'training') stats.dataset['state'] = 'error';
      say(reply.message, true);
      setBusy(false);
      break;
  }
});

function setModel(source: 'trained' | 'loaded', text: string, testAccuracy: number): void {
  modelInfo.textContent = text;
  modelInfo.dataset['source'] = source;
  modelInfo.dataset['testAccuracy'] = Number.isFinite(testAccuracy) ? String(testAccuracy) : '';
}

/**
 * Measures how responsive this thread stays during training: frames drawn
 * (requestAnimationFrame) and the longest gap between 10 ms timer ticks,
 * from the "train" click on. Mirrored in `#stats` (`data-frames`,
 * `data-max-stall-ms`, and the time measured, `data-meter-ms`).
 */
function responsivenessMeter() {
  let frames = 0;
  let maxStall = 0;
  let lastTick = 0;
  let startedAt = 0;
  let running = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const publish = () =>
    Object.assign(stats.dataset, {
      frames: String(frames), maxStallMs: String(Math.round(maxStall)), meterMs: String(Math.round(performance.now() - startedAt)),
    });
  const onFrame = () => {
    if (!running) return;
    frames++;
    requestAnimationFrame(onFrame);
  };
  return {
    start() {
      frames = maxStall = 0;
      lastTick = startedAt = performance.now();
      running = true;
      requestAnimationFrame(onFrame);
      clearInterval(timer);
      timer = setInterval(() => {
        const now = performance.now();
        maxStall = Math.max(maxStall, now - lastTick);
        lastTick = now;
        publish();
      }, 10);
    },
    stop() {
      running = false;
      clearInterval(timer);
      publish();
    },
    describe: () => `page: ${frames} frames, longest stall ${Math.round(maxStall)} ms`,
  };
}

clearPad();
setBusy(false);
say('draw a digit, then train the model here or load the saved weights');
