/**
 * The HTTP server: Fastify with zod schemas on every request and response, the OpenAPI document generated from them
 * (`/openapi.json`, a docs page at `/docs`), Bearer API keys, body-size and rate limits, and one error shape. It keeps
 * nothing between requests but what the recommendation facade caches, so several servers can share one PostgreSQL.
 */
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createJsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { authenticate } from './auth.js';
import type { ApiContext } from './context.js';
import { replyWithError } from './error-handler.js';
import { HttpError } from './http-error.js';
import { feedbackRoutes } from './routes/feedback.js';
import { keyRoutes } from './routes/keys.js';
import { mapRoutes } from './routes/maps.js';
import { metricsRoutes } from './routes/metrics.js';
import { movieRoutes } from './routes/movies.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { searchRoutes } from './routes/search.js';
import { userRoutes } from './routes/users.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

/** The web UI's bundle, built by `npm run build` (Vite) into dist/ui, the same place from src/ and from dist/. */
export const WEB_UI_DIR = join(dirname(require.resolve('../../package.json')), 'dist', 'ui');

export interface ServerLimits {
  /** Requests per minute per API key and user it acts for (per address without a key); 0 turns the limit off. */
  rateLimit: number;
  /** The largest request body accepted, in bytes. */
  bodyLimit: number;
}

export const DEFAULT_LIMITS: ServerLimits = { rateLimit: 6000, bodyLimit: 64 * 1024 };

export interface ServerOptions extends Partial<ServerLimits> {
  context: ApiContext;
  logger?: FastifyServerOptions['logger'];
}

/**
 * What the rate limit counts by: the key (its id from the Bearer header, else the address) and the user it acts for,
 * so an app key serving many users gives each of them the whole budget.
 */
function rateKey(request: { headers: { authorization?: string | undefined }; ip: string; params: unknown }): string {
  const key = /^Bearer\s+rsk_([0-9a-f]{16})_/i.exec(request.headers.authorization ?? '')?.[1] ?? request.ip;
  const userId = (request.params as { userId?: string } | undefined)?.userId;
  return userId === undefined ? key : `${key}/${userId}`;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: limits.bodyLimit }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler((request) => {
    throw new HttpError(404, `no route ${request.method} ${request.url.split('?')[0]}: see /docs for the API`);
  });
  app.decorateRequest('apiKey', null);
  // Security headers. The web UI and the docs page load only their own files; Plotly's WebGL map compiles its
  // shaders' helpers at run time ('unsafe-eval') and sets styles inline. No CORS: other origins are refused by browsers.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        // Served over plain HTTP on a LAN as often as behind TLS: never rewrite its own requests to https.
        upgradeInsecureRequests: null,
      },
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'reelsense', version, description: 'Movie recommendations from text, posters and ratings.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API key from `reelsense keys create`' } } },
    },
    // Unrepresentable types (the poster's bytes) take the JSON schema their .meta() gives.
    transform: createJsonSchemaTransform({ zodToJsonConfig: { unrepresentable: 'any' } }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  if (limits.rateLimit > 0) {
    await app.register(fastifyRateLimit, {
      max: limits.rateLimit,
      timeWindow: '1 minute',
      keyGenerator: rateKey,
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, `more than ${context.max} requests a minute with this key for this user: try again in ${context.after}`),
    });
  }
  app.addHook('onRequest', authenticate(options.context.store));

  for (const routes of [recommendationRoutes, movieRoutes, userRoutes, feedbackRoutes, searchRoutes, mapRoutes, metricsRoutes, keyRoutes]) {
    await app.register(routes, options.context);
  }
  if (existsSync(join(WEB_UI_DIR, 'index.html'))) {
    await app.register(fastifyStatic, { root: WEB_UI_DIR, prefix: '/', index: 'index.html', cacheControl: false });
  }
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
