/** Linear-time sorts of integer keys: no comparator callbacks, so 25M rows order in about a second. */

/** 0, 1, …, n − 1. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/**
 * Stable counting sort: the entries of `order` rearranged so that `digits[order[i]]` ascends, ties keeping their
 * order. Digits are integers in [0, range). Written into `into`, which is returned.
 */
export function countingSort(order: Int32Array, digits: Int32Array | Uint16Array, range: number, into: Int32Array = new Int32Array(order.length)): Int32Array {
  const starts = new Int32Array(range + 1);
  for (let i = 0; i < order.length; i++) starts[digits[order[i]!]! + 1]!++;
  for (let digit = 0; digit < range; digit++) starts[digit + 1]! += starts[digit]!;
  for (let i = 0; i < order.length; i++) {
    const index = order[i]!;
    into[starts[digits[index]!]!++] = index;
  }
  return into;
}

const RADIX_BITS = 16;
const RADIX = 1 << RADIX_BITS;

/**
 * The indices 0…n−1 ordered by `keys[0]`, ties by `keys[1]`, and so on, remaining ties by index: a stable LSD
 * radix sort, 16 bits a pass (one pass for a key below 65,536). Keys are non-negative 32-bit integers.
 */
export function lexicographicOrder(...keys: Int32Array[]): Int32Array {
  const n = keys[0]?.length ?? 0;
  let order: Int32Array = identityOrder(n);
  let spare: Int32Array = new Int32Array(n);
  const digits = new Uint16Array(n);
  for (const key of [...keys].reverse()) {
    let max = 0;
    for (let i = 0; i < n; i++) if (key[i]! > max) max = key[i]!;
    for (let shift = 0; shift === 0 || (shift < 32 && max >>> shift > 0); shift += RADIX_BITS) {
      for (let i = 0; i < n; i++) digits[i] = (key[i]! >>> shift) & (RADIX - 1);
      [order, spare] = [countingSort(order, digits, RADIX, spare), order];
    }
  }
  return order;
}
