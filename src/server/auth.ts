/**
 * Bearer API keys on every /v1 route. A route says who may call it: any key (the catalog), a key that may act for the
 * user in its path (admin and app keys for anyone, a user key for its own user), or admin keys only. No key or an
 * unknown one is 401; a key that may not do this is 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyApiKey } from '../auth/keys.js';
import type { ApiKeyRecord, ApiKeyRole, Store } from '../store/store.js';
import { HttpError } from './http-error.js';

/** Who may call a route. */
export type Access = 'public' | 'any-key' | 'path-user' | ApiKeyRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The caller's key, once checked; null on public routes. */
    apiKey: ApiKeyRecord | null;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The key in the Authorization header, checked against the store; throws 401 without a usable one. */
async function callerKey(store: Pick<Store, 'findApiKey'>, request: FastifyRequest): Promise<ApiKeyRecord> {
  const header = request.headers.authorization;
  if (!header) throw new HttpError(401, 'expected an API key: send the header "Authorization: Bearer <key>" (create one with `reelsense keys create`)');
  const presented = BEARER.exec(header)?.[1];
  if (!presented) throw new HttpError(401, 'header "authorization": expected "Bearer <key>"');
  const key = await verifyApiKey(store, presented);
  if (!key) throw new HttpError(401, 'header "authorization": this API key is not valid (unknown, mistyped or revoked)');
  return key;
}

/** Whether a key may act for this user. */
export function mayActFor(key: ApiKeyRecord, userId: number): boolean {
  return key.role !== 'user' || key.userId === userId;
}

/** The onRequest hook: checks the caller's key against the route's access. */
export function authenticate(store: Pick<Store, 'findApiKey'>) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    // The API is under /v1; the docs page and the not-found answer are open to all.
    const access = request.routeOptions.config.access ?? (request.routeOptions.url?.startsWith('/v1/') ? 'any-key' : 'public');
    request.apiKey = null;
    if (access === 'public') return;
    const key = await callerKey(store, request);
    request.apiKey = key;
    if (Array.isArray(access) && !access.includes(key.role)) {
      throw new HttpError(403, `this route needs an ${access.join(' or ')} key; this one is a ${key.role} key`);
    }
  };
}

/** The preHandler of 'path-user' routes (params are parsed by then): a user key may only touch its own user. */
export async function requirePathUser(request: FastifyRequest): Promise<void> {
  const userId = (request.params as { userId?: number }).userId;
  if (request.apiKey && userId !== undefined && !mayActFor(request.apiKey, userId)) {
    throw new HttpError(403, `this key acts for user ${request.apiKey.userId} only, not user ${userId}`);
  }
}
