/**
 * Child process for the durability test: imports the sources given as JSON into the --db value, says so, and
 * dies by SIGKILL at once, without closing the store or flushing anything.
 */
import { ingest, type IngestSources } from '../../src/ingest/ingest.js';
import { openStore } from '../../src/store/open.js';

const [target, sourcesJson] = process.argv.slice(2);
const store = await openStore(target!);
const report = await ingest(store, JSON.parse(sourcesJson!) as IngestSources);
process.stdout.write(`acknowledged ${report.summary.ratings.inserted} ratings\n`, () => process.kill(process.pid, 'SIGKILL'));
