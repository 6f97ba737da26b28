/** Top-k selection over a score array with a bounded min-heap: O(n log k), no sort of the whole array. */

export interface TopKOptions {
  /** Indices to pass over (1 = skip), e.g. movies the user already rated. */
  skip?: Uint8Array;
  /** Only these indices compete; by default every index of `scores` does. */
  among?: ArrayLike<number>;
}

/**
 * The indices of the `k` largest scores, best first. Ties go to the lower index, so a result never depends on
 * iteration order; NaN and −Infinity never qualify.
 */
export function topK(scores: ArrayLike<number>, k: number, options: TopKOptions = {}): Int32Array {
  const { skip, among } = options;
  const heapIndex = new Int32Array(Math.max(0, k));
  const heapScore = new Float64Array(Math.max(0, k));
  let size = 0;
  // The heap root is the worst kept entry: lowest score, and among equal scores the highest index.
  const worse = (a: number, b: number) => heapScore[a]! < heapScore[b]! || (heapScore[a] === heapScore[b] && heapIndex[a]! > heapIndex[b]!);
  const swap = (a: number, b: number) => {
    const index = heapIndex[a]!;
    heapIndex[a] = heapIndex[b]!;
    heapIndex[b] = index;
    const score = heapScore[a]!;
    heapScore[a] = heapScore[b]!;
    heapScore[b] = score;
  };
  const siftDown = (start: number) => {
    for (let parent = start; ;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let worst = parent;
      if (left < size && worse(left, worst)) worst = left;
      if (right < size && worse(right, worst)) worst = right;
      if (worst === parent) return;
      swap(parent, worst);
      parent = worst;
    }
  };
  const offer = (index: number) => {
    if (skip && skip[index]) return;
    const score = scores[index]!;
    if (!(score > Number.NEGATIVE_INFINITY)) return;
    if (size < k) {
      heapIndex[size] = index;
      heapScore[size] = score;
      for (let child = size++; child > 0;) {
        const parent = (child - 1) >> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
    } else if (k > 0 && (score > heapScore[0]! || (score === heapScore[0] && index < heapIndex[0]!))) {
      heapIndex[0] = index;
      heapScore[0] = score;
      siftDown(0);
    }
  };
  if (among) for (let i = 0; i < among.length; i++) offer(among[i]!);
  else for (let i = 0; i < scores.length; i++) offer(i);

  const result = new Int32Array(size);
  // Popping the root repeatedly yields worst first, so fill from the back.
  for (let position = size - 1; position >= 0; position--) {
    result[position] = heapIndex[0]!;
    size--;
    if (size > 0) {
      heapIndex[0] = heapIndex[size]!;
      heapScore[0] = heapScore[size]!;
      siftDown(0);
    }
  }
  return result;
}
