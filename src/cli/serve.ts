import { Command } from 'commander';
import { z } from 'zod';
import { webUiKey } from '../auth/ui-key.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { modelSource } from '../encode/models.js';
import { RecommendationService } from '../recommend/service.js';
import { buildServer, DEFAULT_LIMITS } from '../server/app.js';
import { openStore } from '../store/open.js';
import { defaultArtifactsDir, parseFlags, pathFlag, storeFlag } from './flags.js';
import { runCommand } from './run.js';
import { serviceFlags, withServiceOptions } from './service.js';

/** The flags `serve` and the main job share. */
export const serveFlags = {
  posters: pathFlag.optional(),
  host: z.string().trim().min(1, 'expected an address to listen on, e.g. 127.0.0.1'),
  port: z.coerce.number().int('expected a port number').min(0, 'expected a port from 0 to 65535').max(65535, 'expected a port from 0 to 65535'),
  rateLimit: z.coerce.number().int('expected a whole number of requests').min(0, 'expected 0 (no limit) or more'),
  log: z.boolean().optional(),
};

const flagsSchema = z.object({ db: storeFlag, ...serviceFlags, ...serveFlags });

type ServeFlags = z.infer<typeof flagsSchema>;

/** The serving options; `--posters` is left to the command, since the main job takes it for encoding too. */
export function withServeOptions(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--rate-limit <n>', 'requests a minute per API key and user (0: no limit)', String(DEFAULT_LIMITS.rateLimit))
    .option('--log', 'log every request as JSON lines on stdout');
}

/**
 * Serves the store until SIGINT or SIGTERM: loads the fitted stages, listens, and prints the URL of the web UI with
 * its key (kept in the artifacts directory, so a restart prints the same one).
 */
export async function serveUntilStopped(flags: ServeFlags): Promise<void> {
  const store = await openStore(flags.db, { mustExist: true });
  try {
    const artifacts = flags.artifacts ?? defaultArtifactsDir(flags.db);
    const service = await RecommendationService.open(store, {
      artifacts,
      models: modelSource(flags.models ? { models: flags.models } : {}),
      ...(flags.posters ? { posters: flags.posters } : {}),
    });
    const key = await webUiKey(store, artifacts);
    const app = await buildServer({ context: { service, store }, rateLimit: flags.rateLimit, logger: flags.log ?? false });
    const address = await app.listen({ host: flags.host, port: flags.port }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new UsageError(`${flags.host}:${flags.port} is in use (another reelsense serve?): stop it, or give --port`);
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        throw new UsageError(`cannot listen on ${flags.host}: expected an address of this machine (--host)`);
      throw error;
    });
    process.stdout.write(`reelsense is serving ${store.location} at ${address} (API docs: ${address}/docs)\nWeb UI: ${address}/#key=${key}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
  } finally {
    await store.close();
  }
}

export function serveCommand(): Command {
  return withServeOptions(
    withServiceOptions(new Command('serve').description('serve the web UI and the HTTP API (docs at /docs, OpenAPI at /openapi.json) on the fitted stages')),
  )
    .option('--posters <dir>', 'read posters from this directory instead of the one the store was imported with (default: $REELSENSE_POSTERS)', loadConfig().posters)
    .action(runCommand(async (raw: unknown) => serveUntilStopped(parseFlags(flagsSchema, raw))));
}
