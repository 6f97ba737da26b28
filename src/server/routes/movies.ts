import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, relative, isAbsolute } from 'node:path';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { count, detailOf, movieDetail, movieId, movieSummary, summaryOf } from '../schemas.js';

const IMAGE_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif' };

export const movieRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.get(
    '/v1/movies/:movieId',
    {
      schema: {
        summary: 'One movie',
        tags: ['movies'],
        security: BEARER_KEY,
        params: z.object({ movieId }),
        response: { 200: movieDetail, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const movie = service.movie(request.params.movieId);
      if (!movie) throw new HttpError(404, `no movie ${request.params.movieId} in the catalog`);
      return detailOf(movie);
    },
  );

  app.get(
    '/v1/movies/:movieId/similar',
    {
      schema: {
        summary: 'The movies nearest to this one in the movie DNA',
        tags: ['movies'],
        security: BEARER_KEY,
        params: z.object({ movieId }),
        querystring: z.strictObject({ n: count(100, 10).describe('how many movies') }),
        response: { 200: z.object({ items: z.array(movieSummary.extend({ score: z.number().describe('cosine in the DNA') })) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const similar = await service.similar(request.params.movieId, request.query.n);
      return { items: similar.map((item) => ({ ...summaryOf(item.movie), score: item.score })) };
    },
  );

  app.get(
    '/posters/:movieId',
    {
      config: { access: 'public' },
      schema: {
        summary: "A movie's poster image",
        description: 'Public, so that <img> tags can load it; cached for a day.',
        tags: ['movies'],
        params: z.object({ movieId }),
        response: {
          200: {
            description: 'the image, as its file is (JPEG for the shared posters)',
            content: { 'image/jpeg': { schema: z.custom<Buffer>((value) => Buffer.isBuffer(value)).meta({ type: 'string', format: 'binary' }) } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const file = service.posterFile(request.params.movieId);
      if (!file) throw new HttpError(404, `movie ${request.params.movieId} has no poster`);
      // A poster name that leads out of the posters directory (a crafted catalog) is never read. Absolute names are
      // from stores older than the posters root, written by reelsense itself.
      const root = service.postersRoot();
      const stored = service.movie(request.params.movieId)?.poster ?? '';
      if (root !== null && !isAbsolute(stored) && !isInside(root, file))
        throw new HttpError(404, `the poster of movie ${request.params.movieId} is outside the posters directory`);
      if (!existsSync(file)) throw new HttpError(404, `the poster file of movie ${request.params.movieId} is missing on the server`);
      return reply
        .type(IMAGE_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=86400')
        .send(await readFile(file));
    },
  );
};

/** Whether `file` lies inside `root` (no `..` out of it, not on another root). */
function isInside(root: string, file: string): boolean {
  const path = relative(root, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}
