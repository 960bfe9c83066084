// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): walking a
// coalesced iteration plan (src/kernels/iterate.ts) row by row, shared by
// the broadcasting binary kernel and the keep-last-axis sum. A plan of rank
// r has r extents; the last axis is the row, the r − 1 outer axes are
// counted by an odometer in `counter` (i32 scratch, zeroed by the caller).

/**
 * Bumps the odometer to the next row: the last outer axis counts up,
 * carrying leftwards. Returns the axis that was bumped (every axis right of
 * it, except the row axis, went back to 0), or −1 when every row is done.
 */
export function nextRow(rank: i32, shape: usize, counter: usize): i32 {
  for (let axis = rank - 2; axis >= 0; axis--) {
    const at = counter + (<usize>axis << 2);
    const count = load<i32>(at) + 1;
    if (count < load<i32>(shape + (<usize>axis << 2))) {
      store<i32>(at, count);
      return axis;
    }
    store<i32>(at, 0);
  }
  return -1;
}

/**
 * How far an operand's offset moves when {@link nextRow} bumps `axis`: one
 * step along it, and back to the start along every outer axis right of it.
 */
export function rowStep(strides: usize, shape: usize, axis: i32, rank: i32): i32 {
  let step = load<i32>(strides + (<usize>axis << 2));
  for (let k = axis + 1; k < rank - 1; k++) {
    step -= load<i32>(strides + (<usize>k << 2)) * (load<i32>(shape + (<usize>k << 2)) - 1);
  }
  return step;
}
