/**
 * Weights in and out: state dicts as safetensors bytes, the format PyTorch
 * and Hugging Face use, so a model trained in one loads into the other.
 * Works on bytes only (no file system), so it runs in browsers too; the
 * file helpers `saveModel` / `loadModel` live in `tensorgrad/node`.
 * @example
 * import { io } from 'tensorgrad';
 * const bytes = io.saveSafetensors(model.stateDict(), { epoch: '3' });
 * model.loadStateDict(io.loadSafetensors(bytes));
 * @module
 */
export {
  saveSafetensors, loadSafetensors, readSafetensorsHeader, MAX_HEADER_BYTES,
  type SafetensorsDtype, type SafetensorsHeader, type SafetensorsTensorInfo,
} from './safetensors.js';
