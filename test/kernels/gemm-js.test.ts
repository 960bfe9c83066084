/**
 * The GEMM suite of gemm.test.ts again, with the TypeScript kernel selected:
 * `gemm` dispatches to WebAssembly SIMD by default, and both kernels must
 * meet the same float64 reference.
 */
import { setBackend } from '../../src/kernels/backend.js';

setBackend('js');
await import('./gemm.test.js');
