/** Sets of ids as ascending Int32Arrays: genres, people, keywords of a movie. */

/** How many values two ascending arrays share, in one merge pass. */
export function sharedCount(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared;
}
