/**
 * Node-only helpers, published as `tensorgrad/node`. Everything here may use
 * `node:*` modules; the main entry point never imports this file.
 * @example
 * import { readBytes } from 'tensorgrad/node';
 * const bytes = await readBytes('train-images-idx3-ubyte.gz'); // inflated
 * @packageDocumentation
 */
export { readBytes, gunzipIfCompressed, isGzip } from './files.js';
export { saveModel, loadModel, type LoadModelResult } from './model-io.js';
export { loadMnist, loadIdxDataset, parseIdxSync, findMnistDir, mnistCacheDir, type FindMnistOptions } from './data.js';
export { progressBar, type ProgressBarOptions } from './progress.js';
export { modelCheckpoint, type ModelCheckpointOptions, type ModelCheckpointCallback } from './checkpoint.js';
export { setThreads, getThreads } from './threads.js';
