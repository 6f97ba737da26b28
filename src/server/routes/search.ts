import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SEARCH_MODES } from '../../recommend/service.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { count, movieSummary, summaryOf } from '../schemas.js';

export const searchRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { service }) => {
  app.get(
    '/v1/search',
    {
      schema: {
        summary: 'Find movies by title, or by what a sentence means',
        description: 'Title matches first (case, accents, articles and the year do not matter), then the movies whose DNA is closest to the text.',
        tags: ['movies'],
        security: BEARER_KEY,
        querystring: z.strictObject({
          query: z.string().trim().min(1, 'expected a title or a few words').max(500, 'expected at most 500 characters'),
          limit: count(100, 20),
          mode: z.enum(SEARCH_MODES, { message: `expected one of ${SEARCH_MODES.join(', ')}` }).default('both'),
        }),
        response: {
          200: z.object({
            items: z.array(
              movieSummary.extend({
                score: z.number().describe('title: how fully the query names it; text: cosine of the sentence to the DNA'),
                match: z.enum(['title', 'text']),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const hits = await service.search(request.query.query, request.query.limit, request.query.mode);
      return { items: hits.map((hit) => ({ ...summaryOf(hit.movie), score: hit.score, match: hit.match })) };
    },
  );
};
