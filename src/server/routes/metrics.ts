import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { finiteOrNull } from '../schemas.js';

const measures = {
  genrePrecision10: z.number().nullable().describe("share of a movie's 10 nearest that share a genre"),
  directorRecall10: z.number().nullable().describe("a director's other films found among the 10 nearest"),
  castRecall10: z.number().nullable().describe("the lead actor's other films found among the 10 nearest"),
};

const embeddingMetrics = z.object({
  movies: z.number().int(),
  posterCoverage: z.number().describe('share of movies with a poster'),
  spaces: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      producer: z.string().describe('the encoder or fusion that made the vectors'),
      version: z.string(),
      dim: z.number().int(),
      count: z.number().int(),
      coverage: z.number().describe('share of movies with a vector'),
      updatedAt: z.string(),
    }),
  ),
  dna: z.object({ name: z.string(), version: z.string(), dim: z.number().int(), count: z.number().int() }),
  index: z.object({ size: z.number().int().describe('movies in the ANN index') }),
  quality: z
    .array(z.object({ name: z.string(), dim: z.number().int(), count: z.number().int(), ...measures, random: z.object(measures), queries: z.enum(['all', 'held-out']) }))
    .describe('per space, each measure beside its value for random neighbours'),
});

export const metricsRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service, store }) => {
  app.get(
    '/v1/metrics/embeddings',
    {
      schema: {
        summary: "The movie vectors: spaces, coverage, encoders, the index, and each space's quality",
        description: 'The quality is measured on the first call after the vectors change (seconds), then cached.',
        tags: ['metrics'],
        security: BEARER_KEY,
        response: { 200: embeddingMetrics, ...errorResponses(401) },
      },
    },
    async () => {
      const metrics = await service.embeddingMetrics();
      const finite = (values: { genrePrecision10: number; directorRecall10: number; castRecall10: number }) => ({
        genrePrecision10: finiteOrNull(values.genrePrecision10),
        directorRecall10: finiteOrNull(values.directorRecall10),
        castRecall10: finiteOrNull(values.castRecall10),
      });
      return {
        ...metrics,
        quality: metrics.quality.map((space) => ({
          name: space.name,
          dim: space.dim,
          count: space.count,
          ...finite(space),
          random: finite(space.random),
          queries: space.queries,
        })),
      };
    },
  );

  app.get(
    '/health',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        summary: 'Whether the server is up and reaches its store',
        tags: ['metrics'],
        response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['sqlite', 'postgres']), uptimeSeconds: z.number() }) },
      },
    },
    async () => {
      await store.hasUser(0);
      return { status: 'ok' as const, store: store.backend, uptimeSeconds: Math.round(process.uptime()) };
    },
  );
};
