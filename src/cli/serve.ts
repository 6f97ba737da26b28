import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { modelSource } from '../encode/models.js';
import { RecommendationService } from '../recommend/service.js';
import { buildServer, DEFAULT_LIMITS } from '../server/app.js';
import { openStore } from '../store/open.js';
import { defaultArtifactsDir, parseFlags, pathFlag, storeFlag } from './flags.js';
import { runCommand } from './run.js';
import { serviceFlags, withServiceOptions } from './service.js';

const flagsSchema = z.object({
  db: storeFlag,
  ...serviceFlags,
  posters: pathFlag.optional(),
  host: z.string().trim().min(1, 'expected an address to listen on, e.g. 127.0.0.1'),
  port: z.coerce.number().int('expected a port number').min(0, 'expected a port from 0 to 65535').max(65535, 'expected a port from 0 to 65535'),
  rateLimit: z.coerce.number().int('expected a whole number of requests').min(0, 'expected 0 (no limit) or more'),
  log: z.boolean().optional(),
});

export function serveCommand(): Command {
  return withServiceOptions(new Command('serve').description('serve the HTTP API (docs at /docs, OpenAPI at /openapi.json) on the fitted stages'))
    .option('--posters <dir>', 'read posters from this directory instead of the one the store was imported with (default: $REELSENSE_POSTERS)', loadConfig().posters)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--rate-limit <n>', 'requests a minute per API key and user (0: no limit)', String(DEFAULT_LIMITS.rateLimit))
    .option('--log', 'log every request as JSON lines on stdout')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(flagsSchema, raw);
        const store = await openStore(flags.db, { mustExist: true });
        try {
          const service = await RecommendationService.open(store, {
            artifacts: flags.artifacts ?? defaultArtifactsDir(flags.db),
            models: modelSource(flags.models ? { models: flags.models } : {}),
            ...(flags.posters ? { posters: flags.posters } : {}),
          });
          const app = await buildServer({ context: { service, store }, rateLimit: flags.rateLimit, logger: flags.log ?? false });
          const address = await app.listen({ host: flags.host, port: flags.port });
          process.stdout.write(`reelsense is serving ${store.location} at ${address} (API docs: ${address}/docs)\n`);
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
          await app.close();
        } finally {
          await store.close();
        }
      }),
    );
}
