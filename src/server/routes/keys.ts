import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueApiKey, publicKeyOf } from '../../auth/keys.js';
import { API_KEY_ROLES } from '../../store/store.js';
import { BEARER_KEY, errorResponses, type ApiContext } from '../context.js';
import { HttpError } from '../http-error.js';

const publicKey = z.object({
  keyId: z.string(),
  role: z.enum(API_KEY_ROLES),
  userId: z.number().int().nullable(),
  label: z.string().nullable(),
  createdAt: z.number().int().describe('unix seconds'),
  revokedAt: z.number().int().nullable(),
});

export const keyRoutes: FastifyPluginAsyncZod<ApiContext> = async (app, { store }) => {
  app.post(
    '/v1/keys',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Create an API key (answered once: only its hash is kept)',
        tags: ['keys'],
        security: BEARER_KEY,
        body: z.strictObject({
          role: z.enum(API_KEY_ROLES, { message: `expected one of ${API_KEY_ROLES.join(', ')}` }),
          userId: z.number().int().positive().optional().describe('the user a user key acts for'),
          label: z.string().trim().min(1).max(200).optional(),
        }),
        response: { 201: publicKey.extend({ key: z.string() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const issued = await issueApiKey(store, request.body);
      return reply.code(201).send({ key: issued.key, ...publicKeyOf(issued.record) });
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Every API key, without secrets',
        tags: ['keys'],
        security: BEARER_KEY,
        response: { 200: z.object({ keys: z.array(publicKey) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ keys: (await store.listApiKeys()).map(publicKeyOf) }),
  );

  app.delete(
    '/v1/keys/:keyId',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Revoke an API key',
        tags: ['keys'],
        security: BEARER_KEY,
        params: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected a key id: 16 hex digits') }),
        response: { 204: z.null().describe('revoked'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await store.revokeApiKey(request.params.keyId, Math.floor(Date.now() / 1000)))) {
        throw new HttpError(404, `no live API key ${request.params.keyId}`);
      }
      return reply.code(204).send(null);
    },
  );
};
