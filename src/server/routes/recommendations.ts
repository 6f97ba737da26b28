import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePathUser } from '../auth.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { booleanFlag, commaList, count, explanation, finiteOrNull, movieId, movieSummary, summaryOf, userId } from '../schemas.js';
import type { Explanation } from '../../recommend/explain.js';

const year = z.coerce.number({ message: 'expected a year' }).int('expected a year');

const recommendationsQuery = z
  .strictObject({
    n: count(100, 10).describe('how many movies'),
    lambda: z.coerce
      .number({ message: 'expected λ in [0, 1]' })
      .min(0, 'expected λ in [0, 1]')
      .max(1, 'expected λ in [0, 1]')
      .default(1)
      .describe('relevance (1) ↔ diversity (0)'),
    genres: commaList.optional().describe('keep movies with one of these genres, comma-separated'),
    excludeGenres: commaList.optional().describe('drop movies with any of these genres'),
    yearFrom: year.optional(),
    yearTo: year.optional(),
    language: z.string().trim().min(1, 'expected a language code, e.g. en').optional().describe('ISO 639-1 code, e.g. en'),
    explain: booleanFlag.describe('add the reasons for each movie'),
  })
  .refine((query) => query.yearFrom === undefined || query.yearTo === undefined || query.yearFrom <= query.yearTo, {
    message: 'expected yearFrom ≤ yearTo',
    path: ['yearFrom'],
  });

const reasons = explanation.omit({ modalities: true, movieId: true, title: true });

const recommendationItem = movieSummary.extend({
  score: z.number().describe('the MMR score it was picked with'),
  relevance: z.number().describe("the ranker's score"),
  sources: z.array(z.string()).describe('the candidate sources that brought it'),
  reasons: reasons.optional(),
});

/** An explanation as JSON: a movie without DNA has no cosine (NaN), sent as null. */
export const explanationJson = (explained: Explanation) => ({
  ...explained,
  score: finiteOrNull(explained.score),
});

export const recommendationRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.get(
    '/v1/users/:userId/recommendations',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: 'Recommendations for a user, best first',
        description: "From the user's ratings (and seed sentence), through retrieval, the learned ranker and MMR; the most popular movies for a user with no taste yet.",
        tags: ['recommendations'],
        security: BEARER_KEY,
        params: z.object({ userId }),
        querystring: recommendationsQuery,
        response: { 200: z.object({ items: z.array(recommendationItem) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { n, lambda, explain, genres, excludeGenres, yearFrom, yearTo, language } = request.query;
      const { userId: user } = request.params;
      const filter = { genres, excludeGenres, yearFrom, yearTo, language };
      const items = await service.recommend({ userId: user }, n, { lambda, filter });
      const explained = explain
        ? await service.reasons(
            user,
            items.map((item) => item.movieId),
          )
        : new Map<number, Explanation>();
      return {
        items: items.map((item) => {
          const why = explained.get(item.movieId);
          return {
            ...summaryOf(item.movie),
            score: item.score,
            relevance: item.relevance,
            sources: item.sources,
            ...(why ? { reasons: { score: finiteOrNull(why.score), pulledBy: why.pulledBy, shared: why.shared } } : {}),
          };
        }),
      };
    },
  );

  app.get(
    '/v1/users/:userId/explain/:movieId',
    {
      config: { access: 'path-user' },
      preHandler: requirePathUser,
      schema: {
        summary: 'Why a movie suits a user',
        description: 'The rated movies that pulled it in, what it shares with the movies the user liked, and how much of its score its text and its poster give.',
        tags: ['recommendations'],
        security: BEARER_KEY,
        params: z.object({ userId, movieId }),
        response: { 200: explanation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => explanationJson(await service.explain(request.params.userId, request.params.movieId)),
  );
};
