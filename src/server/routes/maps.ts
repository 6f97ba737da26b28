import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAP_METHODS } from '../../map/projection.js';
import { requirePathUser } from '../auth.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { userId } from '../schemas.js';

const method = z.strictObject({ method: z.enum(MAP_METHODS, { message: `expected one of ${MAP_METHODS.join(', ')}` }).default('umap') });

export const mapRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.get(
    '/v1/map',
    {
      schema: {
        summary: 'The movie DNA in 3D, for the map',
        description: 'Columns, one entry per movie: ids, titles, first genres, and x, y, z in `points` (3 per movie). Drawn once per DNA and cached.',
        tags: ['maps'],
        security: BEARER_KEY,
        querystring: method,
        response: {
          200: z.object({
            method: z.enum(MAP_METHODS),
            dnaVersion: z.string(),
            ids: z.array(z.number().int()),
            titles: z.array(z.string()),
            genres: z.array(z.string()),
            points: z.array(z.number()).describe('x, y, z of movie i at 3i, 3i + 1, 3i + 2'),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const map = await service.map(request.query.method);
      const movies = Array.from(map.ids, (id) => service.movie(id));
      return {
        method: map.method,
        dnaVersion: map.dnaVersion,
        ids: Array.from(map.ids),
        titles: movies.map((movie, i) => movie?.title ?? String(map.ids[i])),
        genres: movies.map((movie) => movie?.genres[0] ?? '(no genre)'),
        points: Array.from(map.points, (value) => Math.round(value * 1000) / 1000),
      };
    },
  );

  app.get(
    '/v1/users/:userId/journey',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: "The user's taste after each rating, placed on the map",
        tags: ['maps'],
        security: BEARER_KEY,
        params: z.object({ userId }),
        querystring: method,
        response: {
          200: z.object({
            steps: z.array(z.object({ movieId: z.number().int(), title: z.string(), rating: z.number(), point: z.array(z.number()).length(3).describe('x, y, z') })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ steps: await service.tasteJourney(request.params.userId, await service.map(request.query.method)) }),
  );
};
