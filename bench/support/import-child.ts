/**
 * One import in a process of its own, so that its peak RSS is the import's alone: imports the MovieLens directory
 * into a fresh SQLite file and prints its seconds (in all, and when each phase started and ended) and peak RSS as
 * one JSON line.
 *
 *   node --import tsx bench/support/import-child.ts MOVIELENS_DIR DB_FILE
 */
import { ingest } from '../../src/ingest/ingest.js';
import type { Progress } from '../../src/progress.js';
import { openStore } from '../../src/store/open.js';

const [dir, db] = process.argv.slice(2);
const started = performance.now();
const since = () => (performance.now() - started) / 1000;
/** When each phase of the import (reading, writing) started and ended, in seconds from the start. */
const phases: Record<string, { start: number; end: number }> = {};
const timing: Progress = (label) => {
  const phase = { start: since(), end: Number.NaN };
  phases[label] = phase;
  return { tick: () => undefined, done: () => void (phase.end = since()) };
};
const store = await openStore(db!);
const report = await ingest(store, { movielens: dir! }, timing);
await store.close();
// resourceUsage().maxRSS is in kilobytes.
process.stdout.write(`${JSON.stringify({ seconds: since(), phases, peakRssMiB: process.resourceUsage().maxRSS / 1024, summary: report.summary })}\n`);
