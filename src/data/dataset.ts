/**
 * Datasets: anything with a `length` and `get(index)`. A dataset that can
 * also gather a whole batch at once (`getBatch`) lets {@link DataLoader}
 * skip per-item work; {@link TensorDataset} and {@link Subset} do.
 * @module
 */
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A map-style dataset (PyTorch's `Dataset`): `length` items, read by index.
 * @example
 * const squares: Dataset<number> = { length: 10, get: (i) => i * i };
 */
export interface Dataset<Item = unknown> {
  /** Number of items. */
  readonly length: number;
  /**
   * The item at `index`.
   * @param index - an integer in [0, length)
   * @returns the item
   */
  get(index: number): Item;
}

/**
 * A dataset that also gathers many items at once; {@link DataLoader} uses
 * `getBatch` when a dataset has it.
 * @example
 * const ds = new TensorDataset(images, labels); // a BatchDataset
 * const [x, y] = ds.getBatch(new Int32Array([0, 5, 9]));
 */
export interface BatchDataset<Item = unknown, Batch = unknown> extends Dataset<Item> {
  /**
   * The items at `indices`, collated into one batch.
   * @param indices - integers in [0, length)
   * @returns the batch
   */
  getBatch(indices: Int32Array): Batch;
}

/** The item type of a dataset type. */
export type ItemOf<D> = D extends Dataset<infer Item> ? Item : never;

/**
 * What a {@link DataLoader} yields for a dataset type: the result of its
 * `getBatch`, or an array of items for a dataset without one.
 */
export type BatchOf<D> = D extends BatchDataset<unknown, infer Batch> ? Batch : D extends Dataset<infer Item> ? Item[] : never;

/** Integer labels or indices, one per row (converted to `Int32Array`). */
export type LabelArray = Int32Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | readonly number[];

/** A column of a {@link TensorDataset}: a tensor (rows along its first axis) or integer labels. */
export type DatasetColumn = Tensor | LabelArray;

/** One item of a {@link TensorDataset}: a row tensor per tensor column, a number per label column. */
export type TensorDatasetItem<Columns extends readonly DatasetColumn[]> = {
  [K in keyof Columns]: Columns[K] extends Tensor ? Tensor : number;
};

/** One batch of a {@link TensorDataset}: a `[batch, …]` tensor per tensor column, an `Int32Array` per label column. */
export type TensorDatasetBatch<Columns extends readonly DatasetColumn[]> = {
  [K in keyof Columns]: Columns[K] extends Tensor ? Tensor : Int32Array;
};

/** Checks that an index is an integer in [0, length). */
function checkIndex(fn: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${fn}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/** Converts a label column to Int32Array, checking that every value is a 32-bit integer. */
function toLabels(column: LabelArray, position: number): Int32Array {
  if (column instanceof Int32Array) return column;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new Error(
        `TensorDataset: column ${position} must hold 32-bit integers (labels), got ${v} at row ${i}; pass float data as a Tensor`,
      );
    }
  }
  return Int32Array.from(column);
}

/**
 * A dataset of aligned columns (PyTorch's `TensorDataset`): item `i` is row
 * `i` of every column. Tensor columns give row tensors; label arrays
 * (`Int32Array`, `number[]`, …) give numbers, and `Int32Array`s per batch.
 *
 * Batches are gathered by copying whole contiguous rows with
 * `TypedArray.set` (one `slice` when the indices are consecutive): no
 * per-element work.
 * @example
 * const ds = new TensorDataset(images, labels);      // images [N, 1, 28, 28], labels Int32Array
 * const [x, y] = ds.get(0);                           // x: Tensor [1, 28, 28], y: number
 * const [xb, yb] = ds.getBatch(new Int32Array([3, 1])); // xb: Tensor [2, 1, 28, 28], yb: Int32Array
 */
export class TensorDataset<Columns extends readonly DatasetColumn[] = readonly DatasetColumn[]>
  implements BatchDataset<TensorDatasetItem<Columns>, TensorDatasetBatch<Columns>> {
  /** Number of rows. */
  readonly length: number;
  /** The columns as given, except that label arrays are held as `Int32Array`. */
  readonly columns: ReadonlyArray<Tensor | Int32Array>;

  /**
   * @param columns - tensors with the rows along the first axis, and integer
   *   label arrays; all with the same number of rows
   * @throws Error when there is no column, a tensor is a scalar, a label
   *   column holds non-integers, or the columns' row counts differ
   */
  constructor(...columns: Columns) {
    if (columns.length === 0) throw new Error('TensorDataset: expected at least one column (a Tensor or a label array), got none');
    this.columns = columns.map((column, position) => {
      if (column instanceof Tensor) {
        if (column.ndim === 0) throw new Error(`TensorDataset: column ${position} is a scalar tensor; expected rows along a first axis`);
        return column;
      }
      if (ArrayBuffer.isView(column) || Array.isArray(column)) return toLabels(column, position);
      const given = column === null ? 'null' : typeof column === 'object' ? (column as object).constructor?.name ?? 'object' : typeof column;
      throw new Error(`TensorDataset: column ${position} must be a Tensor or an integer label array, got ${given}`);
    });
    const rows = this.columns.map((c) => (c instanceof Tensor ? c.shape[0]! : c.length));
    this.length = rows[0]!;
    rows.forEach((count, position) => {
      if (count !== this.length) {
        throw new Error(`TensorDataset: every column needs the same number of rows; column 0 has ${this.length}, column ${position} has ${count}`);
      }
    });
  }

  /**
   * Row `index` of every column. Row tensors are views on the column's data
   * (no copy).
   * @param index - an integer in [0, length)
   * @returns one row tensor or label per column
   * @throws RangeError when `index` is out of range
   */
  get(index: number): TensorDatasetItem<Columns> {
    checkIndex('TensorDataset.get', index, this.length);
    return this.columns.map((column) => {
      if (!(column instanceof Tensor)) return column[index]!;
      const rowShape = column.shape.slice(1);
      const rowSize = sizeOf(rowShape);
      return new Tensor(column.data.subarray(index * rowSize, (index + 1) * rowSize), rowShape);
    }) as unknown as TensorDatasetItem<Columns>;
  }

  /**
   * Rows `indices` of every column, copied into new arrays.
   * @param indices - integers in [0, length), in batch order (repeats allowed)
   * @returns a `[indices.length, …]` tensor per tensor column, an `Int32Array` per label column
   * @throws RangeError when an index is out of range
   */
  getBatch(indices: Int32Array): TensorDatasetBatch<Columns> {
    const count = indices.length;
    let consecutive = true;
    for (let i = 0; i < count; i++) {
      const index = indices[i]!;
      if (index < 0 || index >= this.length) checkIndex('TensorDataset.getBatch', index, this.length);
      if (index !== indices[0]! + i) consecutive = false;
    }
    return this.columns.map((column) => {
      if (!(column instanceof Tensor)) {
        if (consecutive && count > 0) return column.slice(indices[0]!, indices[0]! + count);
        const out = new Int32Array(count);
        for (let i = 0; i < count; i++) out[i] = column[indices[i]!]!;
        return out;
      }
      const rowSize = sizeOf(column.shape.slice(1));
      const source = column.data;
      let out: Float32Array;
      if (consecutive && count > 0) {
        out = source.slice(indices[0]! * rowSize, (indices[0]! + count) * rowSize);
      } else {
        out = new Float32Array(count * rowSize);
        if (rowSize >= 16) {
          for (let i = 0; i < count; i++) {
            const from = indices[i]! * rowSize;
            out.set(source.subarray(from, from + rowSize), i * rowSize);
          }
        } else {
          // Short rows: a plain loop beats making a subarray per row.
          for (let i = 0; i < count; i++) {
            const from = indices[i]! * rowSize;
            const to = i * rowSize;
            for (let k = 0; k < rowSize; k++) out[to + k] = source[from + k]!;
          }
        }
      }
      return new Tensor(out, [count, ...column.shape.slice(1)]);
    }) as unknown as TensorDatasetBatch<Columns>;
  }
}

/**
 * The items of a dataset at given indices (PyTorch's `Subset`), as made by
 * {@link randomSplit} and {@link trainValSplit}. Batches are gathered by the
 * underlying dataset's `getBatch` when it has one.
 * @example
 * const firstTen = new Subset(dataset, Int32Array.from({ length: 10 }, (_, i) => i));
 */
export class Subset<D extends Dataset = Dataset> implements BatchDataset<ItemOf<D>, BatchOf<D>> {
  /** The dataset the indices point into. */
  readonly dataset: D;
  /** Which of its items, in order. */
  readonly indices: Int32Array;

  /**
   * @param dataset - the underlying dataset
   * @param indices - integers in [0, dataset.length)
   * @throws RangeError when an index is out of range
   */
  constructor(dataset: D, indices: Int32Array | readonly number[]) {
    this.dataset = dataset;
    this.indices = indices instanceof Int32Array ? indices : Int32Array.from(indices);
    for (let i = 0; i < this.indices.length; i++) {
      const index = this.indices[i]!;
      if (index < 0 || index >= dataset.length || index !== (indices[i] as number)) {
        throw new RangeError(`Subset: index ${indices[i]} (position ${i}) is out of range for a dataset of length ${dataset.length}`);
      }
    }
  }

  /** Number of items. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Item `index` of the subset (item `indices[index]` of the dataset).
   * @param index - an integer in [0, length)
   * @returns the item
   * @throws RangeError when `index` is out of range
   */
  get(index: number): ItemOf<D> {
    checkIndex('Subset.get', index, this.length);
    return this.dataset.get(this.indices[index]!) as ItemOf<D>;
  }

  /**
   * Items `indices` of the subset, collated by the dataset's `getBatch` (or
   * as an array of items when it has none).
   * @param indices - integers in [0, length)
   * @returns the batch
   * @throws RangeError when an index is out of range
   */
  getBatch(indices: Int32Array): BatchOf<D> {
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (index < 0 || index >= this.indices.length) checkIndex('Subset.getBatch', index, this.length);
      mapped[i] = this.indices[index]!;
    }
    return collate(this.dataset, mapped);
  }
}

/**
 * Gathers a batch from any dataset: its `getBatch` if it has one, else an
 * array of its items.
 * @param dataset - the dataset
 * @param indices - which items
 * @returns the batch
 */
export function collate<D extends Dataset>(dataset: D, indices: Int32Array): BatchOf<D> {
  const batched = dataset as unknown as Partial<BatchDataset>;
  if (typeof batched.getBatch === 'function') return batched.getBatch(indices) as BatchOf<D>;
  return Array.from(indices, (index) => dataset.get(index)) as BatchOf<D>;
}
