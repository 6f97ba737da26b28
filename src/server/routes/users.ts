import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePathUser } from '../auth.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { movieIdField, userId } from '../schemas.js';

const nameShare = z.object({ name: z.string(), share: z.number().describe("share of the user's liked movies") });

const newUser = z.strictObject({
  favorites: z.array(movieIdField).max(100, 'expected at most 100 favourites').optional().describe('movies the user loves: stored as ratings of 5'),
  text: z.string().trim().min(1, 'expected a few words').max(1000, 'expected at most 1000 characters').optional().describe('a sentence about the movies they like'),
});

const userProfile = z.object({
  userId: z.number().int(),
  history: z.array(z.object({ movieId: z.number().int(), title: z.string(), rating: z.number(), timestamp: z.number().int() })).describe('oldest first'),
  notInterested: z.array(z.number().int()),
  seeded: z.boolean().describe('whether a sentence seeds the taste (it fades as ratings come)'),
  taste: z.object({
    ratings: z.number().int(),
    meanRating: z.number().nullable(),
    liked: z.number().int().describe('ratings of 4 or more'),
    genres: z.array(nameShare),
    directors: z.array(nameShare),
    cast: z.array(nameShare),
  }),
});

export const userRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.post(
    '/v1/users',
    {
      config: { access: ['admin', 'app'] },
      schema: {
        summary: 'Create a user from favourites, a sentence, both or nothing',
        tags: ['users'],
        security: BEARER_KEY,
        body: newUser,
        response: { 201: z.object({ userId: z.number().int() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await service.createUser(request.body);
      return reply.code(201).send({ userId: created });
    },
  );

  app.get(
    '/v1/users/:userId',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: "A user's ratings and a summary of their taste",
        tags: ['users'],
        security: BEARER_KEY,
        params: z.object({ userId }),
        response: { 200: userProfile, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const profile = await service.userProfile(request.params.userId);
      return {
        userId: profile.userId,
        history: profile.history.map((entry) => ({
          movieId: entry.movieId,
          title: service.movie(entry.movieId)?.title ?? '?',
          rating: entry.rating,
          timestamp: entry.timestamp,
        })),
        notInterested: profile.notInterested,
        seeded: profile.seeded,
        taste: profile.summary,
      };
    },
  );
};
