import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePathUser } from '../auth.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { movieId, movieIdField, rating, userId } from '../schemas.js';

const recorded = z.object({
  userId: z.number().int(),
  movieId: z.number().int(),
  rating: z.number(),
  ratings: z.number().int().describe('how many ratings the taste now stands on'),
});

export const feedbackRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.post(
    '/v1/users/:userId/ratings',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: 'Rate a movie (or change a rating)',
        description: 'Durable when answered; the taste moves at once and the next recommendations follow.',
        tags: ['feedback'],
        security: BEARER_KEY,
        params: z.object({ userId }),
        body: z.strictObject({ movieId: movieIdField, rating }),
        response: { 201: recorded, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { userId: user } = request.params;
      await service.requireUser(user);
      const taste = await service.recordRating(user, request.body.movieId, request.body.rating);
      return reply.code(201).send({ userId: user, movieId: request.body.movieId, rating: request.body.rating, ratings: taste.count });
    },
  );

  app.delete(
    '/v1/users/:userId/ratings/:movieId',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: 'Remove a rating',
        tags: ['feedback'],
        security: BEARER_KEY,
        params: z.object({ userId, movieId }),
        response: { 204: z.null().describe('removed'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { userId: user, movieId: movie } = request.params;
      if (!(await service.deleteRating(user, movie))) throw new HttpError(404, `user ${user} has no rating of movie ${movie}`);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/users/:userId/not-interested',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: 'Never recommend this movie to this user again',
        tags: ['feedback'],
        security: BEARER_KEY,
        params: z.object({ userId }),
        body: z.strictObject({ movieId: movieIdField }),
        response: { 201: z.object({ userId: z.number().int(), movieId: z.number().int() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { userId: user } = request.params;
      await service.requireUser(user);
      await service.markNotInterested(user, request.body.movieId);
      return reply.code(201).send({ userId: user, movieId: request.body.movieId });
    },
  );
};
