/**
 * The recommendation service on a prepared store, in a process of its own so its RSS is the service's: opens it,
 * recommends for users one after another, records ratings and times the next list, and measures the ANN index's
 * recall@100 against an exact scan on the users' tastes. What the learned ranker adds is timed against the same path
 * scored by taste cosine alone, the two interleaved request by request so that load on the machine hits both alike.
 * Neither keeps computed lists, so every request runs the path; the ranker keeps what a user brings to its signals
 * while their history stays the same, so what it adds to the first list after a rating is timed apart. Prints one
 * JSON line.
 *
 *   node --import tsx bench/support/recommend-child.ts DB_FILE ARTIFACTS_DIR REQUESTS
 */
import { DNA_SPACE } from '../../src/fuse/dna.js';
import { ExactIndex } from '../../src/index/exact.js';
import { HnswIndex } from '../../src/index/hnsw.js';
import { indexDir } from '../../src/index/stage.js';
import { RecommendationService } from '../../src/recommend/service.js';
import { openStore } from '../../src/store/open.js';

const [db, artifacts, requestsArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const store = await openStore(db!, { mustExist: true });
const rssBefore = process.memoryUsage().rss;
const service = await RecommendationService.open(store, { artifacts: artifacts!, keptLists: 0 });
const rssLoaded = process.memoryUsage().rss;

const percentile = (sorted: readonly number[], share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
// The store's users in turn (again from the first when there are fewer than the requests).
const allUsers = await store.listUsers();
const userIds = Array.from({ length: Math.min(requests, allUsers.length) }, (_, i) => allUsers[i]!);
// One warm-up pass replays every history once (as a long-running server has); the timed pass is the steady state.
for (const userId of userIds) await service.recommend({ userId }, 10);
const tasteScored = await RecommendationService.open(store, { artifacts: artifacts!, scorer: 'taste', keptLists: 0 });
for (const userId of userIds) await tasteScored.recommend({ userId }, 10);
const recommendMs: number[] = [];
const tasteScoredMs: number[] = [];
for (let i = 0; i < requests; i++) {
  const userId = userIds[i % userIds.length]!;
  let started = performance.now();
  await service.recommend({ userId }, 10);
  recommendMs.push(performance.now() - started);
  started = performance.now();
  await tasteScored.recommend({ userId }, 10);
  tasteScoredMs.push(performance.now() - started);
}
recommendMs.sort((a, b) => a - b);
tasteScoredMs.sort((a, b) => a - b);

// A rating reflected in the next list: the durable write, the taste step, and the next recommendation. The ranker
// keeps what a user brings to its signals until their history changes, so the list after a rating is also timed on
// its own against the taste-scored path's (which takes the same rating from the shared store): what the ranker adds then.
const updateMs: number[] = [];
const afterRatingMs: number[] = [];
const tasteScoredAfterRatingMs: number[] = [];
for (const userId of userIds.slice(0, 200)) {
  const [top] = await service.recommend({ userId }, 1);
  let started = performance.now();
  await service.recordRating(userId, top!.movieId, 4.5);
  const written = performance.now();
  const next = await service.recommend({ userId }, 10);
  updateMs.push(performance.now() - started);
  afterRatingMs.push(performance.now() - written);
  if (next.some((item) => item.movieId === top!.movieId)) throw new Error('a rated movie came back');
  started = performance.now();
  await tasteScored.recommend({ userId }, 10);
  tasteScoredAfterRatingMs.push(performance.now() - started);
}
for (const times of [updateMs, afterRatingMs, tasteScoredAfterRatingMs]) times.sort((a, b) => a - b);

const dna = (await store.readVectors(DNA_SPACE))!;
const exact = new ExactIndex(dna.ids, dna.vectors, dna.space.dim);
const ann = await HnswIndex.load(indexDir(artifacts!));
let found = 0;
const queries = userIds.slice(0, 200);
for (const userId of queries) {
  const taste = (await service.userTaste(userId))!.vector;
  const truth = new Set((await exact.nearest(taste, 100)).map((neighbour) => neighbour.id));
  found += ann.search(taste, 100).filter((neighbour) => truth.has(neighbour.id)).length;
}
await store.close();
const mib = (bytes: number) => bytes / 2 ** 20;
process.stdout.write(
  `${JSON.stringify({
    p50Ms: percentile(recommendMs, 0.5),
    p99Ms: percentile(recommendMs, 0.99),
    tasteScoredP50Ms: percentile(tasteScoredMs, 0.5),
    rankerAddsP50Ms: percentile(recommendMs, 0.5) - percentile(tasteScoredMs, 0.5),
    updateMs: percentile(updateMs, 0.5),
    rankerAddsAfterRatingP50Ms: percentile(afterRatingMs, 0.5) - percentile(tasteScoredAfterRatingMs, 0.5),
    updateP99Ms: percentile(updateMs, 0.99),
    recall100: found / (100 * queries.length),
    rssBeforeMiB: mib(rssBefore),
    rssLoadedMiB: mib(rssLoaded),
    users: userIds.length,
    requests,
  })}\n`,
);
