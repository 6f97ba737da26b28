/**
 * The HTTP API against a real server on 127.0.0.1, on SQLite and on PostgreSQL: the served sample of the real catalog
 * (test/support/served-sample.ts) copied into each back end, every route through the typed client, every auth case,
 * and bad input field by field.
 */
import { validate } from '@readme/openapi-parser';
import fc from 'fast-check';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/auth/keys.js';
import { reelsenseClient, type ReelsenseClient } from '../../src/client/index.js';
import { modelSource } from '../../src/encode/models.js';
import { RecommendationService } from '../../src/recommend/service.js';
import { buildServer } from '../../src/server/app.js';
import { migrateStore } from '../../src/store/migrate.js';
import { interactionsFromRatings } from '../../src/interactions.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { API_TYPES_FILE, openApiTypes } from '../../scripts/openapi-types.js';
import { servedSample, type ServedSample } from '../support/served-sample.js';
import { closing, STORE_TARGETS } from '../support/stores.js';
import { fileTempDir } from '../support/tmp.js';
import { runCli } from '../support/cli.js';
import { startServeProcess } from '../support/serve-process.js';

const sampleDir = fileTempDir();
let sample: Promise<ServedSample> | undefined;

interface Running {
  url: string;
  /** The --db of the server's store. */
  db: string;
  store: Store;
  close(): Promise<void>;
  /** Keys by role: admin, app, and a user key for user 1. */
  keys: { admin: string; app: string; user1: string };
  api(key?: string): ReelsenseClient;
}

/** The served sample copied into a fresh store of this back end, a server on it on a free port, and one key per role. */
interface ServerSetup {
  rateLimit?: number;
  bodyLimit?: number;
  /** Pino's destination for the server's log (off when left out). */
  logTo?: { write(line: string): void };
  /** Changes to the copied store before the server opens it. */
  prepare?: (store: Store) => Promise<void>;
}

async function startServer(target: (typeof STORE_TARGETS)[number], setup: ServerSetup = {}): Promise<Running> {
  const served = await (sample ??= servedSample(sampleDir()));
  const drops: (() => Promise<void>)[] = [];
  const db = await target.freshTarget((drop) => drops.push(drop));
  await closing(openStore(served.db, { mustExist: true }), async (source) => closing(openStore(db), (copy) => migrateStore(source, copy)));
  const store = await openStore(db, { mustExist: true });
  await setup.prepare?.(store);
  const service = await RecommendationService.open(store, { artifacts: served.artifacts, models: modelSource({ models: served.models }) });
  const { logTo, rateLimit, bodyLimit } = setup;
  const app = await buildServer({
    context: { service, store },
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(logTo ? { logger: { level: 'info', stream: logTo } } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const keys = {
    admin: (await issueApiKey(store, { role: 'admin' })).key,
    app: (await issueApiKey(store, { role: 'app' })).key,
    user1: (await issueApiKey(store, { role: 'user', userId: 1 })).key,
  };
  return {
    url,
    db,
    store,
    keys,
    api: (key) => reelsenseClient({ baseUrl: url, ...(key ? { apiKey: key } : {}) }),
    close: async () => {
      await app.close();
      await store.close();
      for (const drop of drops) await drop();
    },
  };
}

/** A raw request, for what the typed client will not send: no key, wrong types, unknown fields, broken JSON. */
async function raw(server: Running, path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  const response = await fetch(new URL(path, server.url), { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as { message?: string; statusCode?: number }) : text };
}

/** The answer is an error with this status whose message matches. */
function expectError(answer: { status: number; body: unknown }, status: number, message: RegExp): void {
  expect(answer.status).toBe(status);
  expect((answer.body as { message: string }).message).toMatch(message);
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(STORE_TARGETS)('the HTTP API on $backend', (target) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(target);
  }, 900_000);
  afterAll(async () => server?.close());

  it('serves health, a valid OpenAPI document that matches the routes and the typed client, and the docs page', async () => {
    const health = await server.api().GET('/health');
    expect(health.data).toMatchObject({ status: 'ok', store: target.backend });

    const document = (await (await fetch(new URL('/openapi.json', server.url))).json()) as { paths: Record<string, Record<string, unknown>> };
    const validation = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(validation.valid ? [] : validation.errors).toEqual([]);
    expect(validation.specification).toBe('OpenAPI');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(
      [
        'GET /v1/users/{userId}/recommendations',
        'GET /v1/users/{userId}/explain/{movieId}',
        'GET /v1/movies/{movieId}',
        'GET /v1/movies/{movieId}/similar',
        'GET /posters/{movieId}',
        'POST /v1/users',
        'GET /v1/users/{userId}',
        'POST /v1/users/{userId}/ratings',
        'DELETE /v1/users/{userId}/ratings/{movieId}',
        'POST /v1/users/{userId}/not-interested',
        'GET /v1/search',
        'GET /v1/map',
        'GET /v1/users/{userId}/journey',
        'GET /v1/metrics/embeddings',
        'GET /health',
        'POST /v1/keys',
        'GET /v1/keys',
        'DELETE /v1/keys/{keyId}',
      ].sort(),
    );
    // The typed client's types are what the served document generates, to the character.
    expect(await openApiTypes(document), 'src/client/api-types.ts is stale: run `npm run client:generate -- URL` against a running server').toBe(
      await readFile(API_TYPES_FILE, 'utf8'),
    );

    const docs = await fetch(new URL('/docs', server.url));
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('asks for a key (401) and refuses the wrong role or another user (403)', async () => {
    const path = '/v1/users/1/recommendations';
    expectError(await raw(server, path), 401, /Authorization: Bearer/);
    expectError(await raw(server, path, { headers: { authorization: 'Basic abc' } }), 401, /"authorization"/);
    expect((await raw(server, path, { key: 'rsk_0123456789abcdef_' + 'x'.repeat(43) })).status).toBe(401);
    // A key with a right id and a wrong secret is refused like an unknown one.
    expect((await raw(server, path, { key: server.keys.admin.slice(0, -3) + 'AAA' })).status).toBe(401);

    for (const key of [server.keys.admin, server.keys.app, server.keys.user1]) expect((await raw(server, path, { key })).status).toBe(200);
    expect(await raw(server, '/v1/users/2/recommendations', { key: server.keys.user1 })).toMatchObject({
      status: 403,
      body: { message: 'this key acts for user 1 only, not user 2' },
    });
    expect((await raw(server, '/v1/users/2/ratings', { key: server.keys.user1, ...json({ movieId: 1, rating: 4 }) })).status).toBe(403);
    expect((await raw(server, '/v1/users', { key: server.keys.user1, ...json({}) })).status).toBe(403);
    expect((await raw(server, '/v1/keys', { key: server.keys.app })).status).toBe(403);
    expect((await raw(server, '/v1/keys', { key: server.keys.user1 })).status).toBe(403);
    // The catalog is open to every key; the poster, health and docs to anyone.
    const movie = (await server.store.listMovies())[0]!.movieId;
    expect((await raw(server, `/v1/movies/${movie}`, { key: server.keys.user1 })).status).toBe(200);
    expect((await raw(server, `/v1/movies/${movie}`)).status).toBe(401);

    // A revoked key stops working at once.
    const issued = await server.api(server.keys.admin).POST('/v1/keys', { body: { role: 'app', label: 'to revoke' } });
    expect(issued.response.status).toBe(201);
    const revocable = issued.data!.key;
    expect((await raw(server, path, { key: revocable })).status).toBe(200);
    expect((await server.api(server.keys.admin).DELETE('/v1/keys/{keyId}', { params: { path: { keyId: issued.data!.keyId } } })).response.status).toBe(204);
    expect((await raw(server, path, { key: revocable })).status).toBe(401);
    const listed = await server.api(server.keys.admin).GET('/v1/keys');
    const revokedKey = listed.data!.keys.find((key) => key.keyId === issued.data!.keyId)!;
    expect([revokedKey.role, revokedKey.label, typeof revokedKey.revokedAt]).toEqual(['app', 'to revoke', 'number']);
    expect(JSON.stringify(listed.data)).not.toMatch(/secret|rsk_/i);
    expect((await server.api(server.keys.admin).DELETE('/v1/keys/{keyId}', { params: { path: { keyId: issued.data!.keyId } } })).response.status).toBe(404);
    // A user key made over the API acts for its user.
    const userKey = await server.api(server.keys.admin).POST('/v1/keys', { body: { role: 'user', userId: 2 } });
    expect((await raw(server, '/v1/users/2/recommendations', { key: userKey.data!.key })).status).toBe(200);
    expectError(await raw(server, '/v1/keys', { key: server.keys.admin, ...json({ role: 'user' }) }), 400, /user it acts for/);
  });

  it('recommends with filters, λ and reasons, and names the field of every bad query', async () => {
    const api = server.api(server.keys.app);
    const rated = new Set((await server.store.userRatings(3)).map((rating) => rating.movieId));
    const { data } = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 3 }, query: { n: 8 } } });
    expect(data!.items).toHaveLength(8);
    expect(data!.items.filter((item) => rated.has(item.movieId))).toEqual([]);
    for (const item of data!.items) expect(item.title.length).toBeGreaterThan(0);

    const dramas = await api.GET('/v1/users/{userId}/recommendations', {
      params: { path: { userId: 3 }, query: { n: 5, genres: 'drama', yearFrom: 1990, yearTo: 2010 } },
    });
    expect(dramas.data!.items.length).toBeGreaterThan(0);
    for (const item of dramas.data!.items) {
      expect(item.genres).toContain('Drama');
      expect(item.year).toBeGreaterThanOrEqual(1990);
      expect(item.year).toBeLessThanOrEqual(2010);
    }
    const noDrama = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 3 }, query: { n: 10, excludeGenres: 'Drama,Comedy' } } });
    expect(noDrama.data!.items.some((item) => item.genres.includes('Drama') || item.genres.includes('Comedy'))).toBe(false);
    const diverse = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 3 }, query: { n: 8, lambda: 0 } } });
    expect(diverse.data!.items.map((item) => item.movieId)).not.toEqual(data!.items.map((item) => item.movieId));

    const explained = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 3 }, query: { n: 3, explain: 'true' } } });
    for (const item of explained.data!.items) expect(item.reasons?.pulledBy.every((pull) => rated.has(pull.movieId))).toBe(true);
    expect(explained.data!.items.some((item) => item.reasons!.pulledBy.length > 0)).toBe(true);
    const explain = await api.GET('/v1/users/{userId}/explain/{movieId}', { params: { path: { userId: 3, movieId: data!.items[0]!.movieId } } });
    expect(explain.data!.movieId).toBe(data!.items[0]!.movieId);
    expect(explain.data!.modalities!.text + explain.data!.modalities!.poster).toBeCloseTo(1, 6);

    const bad: [string, RegExp][] = [
      ['n=0', /querystring field "n": expected at least 1/],
      ['n=500', /querystring field "n": expected at most 100/],
      ['n=ten', /querystring field "n": expected a whole number/],
      ['lambda=high', /querystring field "lambda": expected λ in \[0, 1\]/],
      ['lambda=2', /querystring field "lambda": expected λ in \[0, 1\]/],
      ['yearFrom=2010&yearTo=1990', /querystring field "yearFrom": expected yearFrom ≤ yearTo/],
      ['yearFrom=soon', /querystring field "yearFrom": expected a year/],
      ['genres=Drama,,Comedy', /querystring field "genres\[1\]"/],
      ['explain=maybe', /querystring field "explain": expected true or false/],
      ['count=5', /querystring field "count": not a field of this request/],
      ['language=', /querystring field "language"/],
    ];
    for (const [query, message] of bad) {
      const answer = await raw(server, `/v1/users/3/recommendations?${query}`, { key: server.keys.app });
      expect([query, answer.status]).toEqual([query, 400]);
      expect((answer.body as { message: string }).message).toMatch(message);
    }
    expect(await raw(server, '/v1/users/abc/recommendations', { key: server.keys.app })).toMatchObject({
      status: 400,
      body: { message: 'params field "userId": expected a user id (a whole number)' },
    });
    expectError(await raw(server, '/v1/users/99999/recommendations', { key: server.keys.app }), 404, /no user 99999/);
    expect((await raw(server, '/v1/users/3/explain/999999999', { key: server.keys.app })).status).toBe(404);
  });

  it('serves movies, similar movies, posters and search by title and by meaning', async () => {
    const api = server.api(server.keys.user1);
    const movies = await server.store.listMovies();
    const withPoster = movies.find((movie) => movie.poster !== null)!;
    const withoutPoster = movies.find((movie) => movie.poster === null);
    const movie = await api.GET('/v1/movies/{movieId}', { params: { path: { movieId: withPoster.movieId } } });
    expect(movie.data).toMatchObject({
      movieId: withPoster.movieId,
      title: withPoster.title,
      posterUrl: `/posters/${withPoster.movieId}`,
      directors: withPoster.directors,
    });
    expect((await raw(server, '/v1/movies/999999999', { key: server.keys.user1 })).status).toBe(404);

    const similar = await api.GET('/v1/movies/{movieId}/similar', { params: { path: { movieId: withPoster.movieId }, query: { n: 5 } } });
    expect(similar.data!.items).toHaveLength(5);
    expect(similar.data!.items.map((item) => item.movieId)).not.toContain(withPoster.movieId);
    for (let i = 1; i < 5; i++) expect(similar.data!.items[i]!.score).toBeLessThanOrEqual(similar.data!.items[i - 1]!.score);

    const poster = await fetch(new URL(movie.data!.posterUrl!, server.url));
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const bytes = new Uint8Array(await poster.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    if (withoutPoster) expect((await raw(server, `/posters/${withoutPoster.movieId}`)).status).toBe(404);

    // Title search ignores case, the trailing article and the year, and finds the movie first.
    const titled = movies.find((movie) => /^[A-Z][a-z]+ [A-Z][a-z]+, The \(\d{4}\)$/.test(movie.title)) ?? movies[0]!;
    const typed = titled.title.replace(/, The \(\d{4}\)$/, '').toLowerCase();
    const byTitle = await api.GET('/v1/search', { params: { query: { query: typed, mode: 'title' } } });
    expect(byTitle.data!.items[0]).toMatchObject({ movieId: titled.movieId, match: 'title', score: 1 });
    const byMeaning = await api.GET('/v1/search', { params: { query: { query: 'animated family adventure', limit: 10, mode: 'text' } } });
    expect(byMeaning.data!.items).toHaveLength(10);
    expect(byMeaning.data!.items.every((item) => item.match === 'text')).toBe(true);
    const family = byMeaning.data!.items.filter((item) => item.genres.includes('Animation') || item.genres.includes('Children'));
    expect(family.length).toBeGreaterThanOrEqual(4);
    const both = await api.GET('/v1/search', { params: { query: { query: typed, limit: 5 } } });
    expect(both.data!.items[0]!.movieId).toBe(titled.movieId);
    expect(both.data!.items).toHaveLength(5);
    expectError(await raw(server, '/v1/search?query=', { key: server.keys.user1 }), 400, /querystring field "query"/);
    expectError(await raw(server, '/v1/search', { key: server.keys.user1 }), 400, /querystring field "query"/);
    expect((await raw(server, '/v1/search?query=x&mode=fuzzy', { key: server.keys.user1 })).status).toBe(400);
  });

  it('creates users; a rating is durable when answered and moves the next recommendations at once', async () => {
    const api = server.api(server.keys.app);
    const movies = await server.store.listMovies();
    const favorites = [movies[3]!.movieId, movies[9]!.movieId];
    const created = await api.POST('/v1/users', { body: { favorites, text: 'a funny animated film for the whole family' } });
    expect(created.response.status).toBe(201);
    const userId = created.data!.userId;
    const profile = await api.GET('/v1/users/{userId}', { params: { path: { userId } } });
    expect(profile.data).toMatchObject({ userId, seeded: true, taste: { ratings: 2, liked: 2, meanRating: 5 } });
    expect(profile.data!.history.map((entry) => [entry.movieId, entry.rating])).toEqual(favorites.map((movieId) => [movieId, 5]));

    // A sentence alone makes a user whose first list follows it; a user with nothing gets the most rated movies.
    const sentence = await api.POST('/v1/users', { body: { text: 'a funny animated film for the whole family' } });
    const fromSentence = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: sentence.data!.userId }, query: { n: 10 } } });
    const family = fromSentence.data!.items.filter((item) => item.genres.includes('Animation') || item.genres.includes('Children'));
    expect(family.length).toBeGreaterThanOrEqual(4);
    const blank = await api.POST('/v1/users', { body: {} });
    const popular = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: blank.data!.userId }, query: { n: 5 } } });
    expect(popular.data!.items.map((item) => item.sources)).toEqual(Array(5).fill(['popularity']));

    const before = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 10 } } });
    const top = before.data!.items[0]!.movieId;
    const rating = await api.POST('/v1/users/{userId}/ratings', { params: { path: { userId } }, body: { movieId: top, rating: 1 } });
    expect(rating.response.status).toBe(201);
    expect(rating.data).toEqual({ userId, movieId: top, rating: 1, ratings: 3 });
    // Acknowledged means committed: a second connection to the store sees it.
    await closing(openStore(server.db, { mustExist: true }), async (other) => expect((await other.userRatings(userId)).map((entry) => entry.movieId)).toContain(top));
    const after = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 10 } } });
    expect(after.data!.items.map((item) => item.movieId)).not.toContain(top);
    // Not only is the rated movie gone: the taste moved, so the rest of the list is reordered or replaced too.
    expect(after.data!.items.slice(0, 9).map((item) => item.movieId)).not.toEqual(before.data!.items.slice(1).map((item) => item.movieId));

    const second = after.data!.items[0]!.movieId;
    expect((await api.POST('/v1/users/{userId}/not-interested', { params: { path: { userId } }, body: { movieId: second } })).response.status).toBe(201);
    const without = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 10 } } });
    expect(without.data!.items.map((item) => item.movieId)).not.toContain(second);
    expect((await api.GET('/v1/users/{userId}', { params: { path: { userId } } })).data!.notInterested).toEqual([second]);

    expect((await api.DELETE('/v1/users/{userId}/ratings/{movieId}', { params: { path: { userId, movieId: top } } })).response.status).toBe(204);
    expect((await api.DELETE('/v1/users/{userId}/ratings/{movieId}', { params: { path: { userId, movieId: top } } })).response.status).toBe(404);
    expect((await api.GET('/v1/users/{userId}', { params: { path: { userId } } })).data!.taste.ratings).toBe(2);

    const badBodies: [unknown, RegExp][] = [
      [{ movieId: top, rating: 7 }, /body field "rating": expected a rating from 0.5 to 5 in steps of 0.5/],
      [{ movieId: top, rating: 3.3 }, /body field "rating"/],
      [{ movieId: top, rating: '4' }, /body field "rating": expected a number/],
      [{ movieId: 'x', rating: 4 }, /body field "movieId"/],
      [{ rating: 4 }, /body field "movieId"/],
      [{ movieId: top, rating: 4, extra: 1 }, /body field "extra": not a field of this request/],
      [[1, 2], /body/],
    ];
    for (const [body, message] of badBodies) {
      const answer = await raw(server, `/v1/users/${userId}/ratings`, { key: server.keys.app, ...json(body) });
      expect([JSON.stringify(body), answer.status]).toEqual([JSON.stringify(body), 400]);
      expect((answer.body as { message: string }).message).toMatch(message);
    }
    expectError(
      await raw(server, `/v1/users/${userId}/ratings`, { key: server.keys.app, ...json({ movieId: 999999999, rating: 4 }) }),
      404,
      /^no movie 999999999 in the catalog$/,
    );
    expectError(await raw(server, '/v1/users/99999/ratings', { key: server.keys.app, ...json({ movieId: top, rating: 4 }) }), 404, /^no user 99999/);
    const broken = { key: server.keys.app, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"movieId": ' };
    expectError(await raw(server, `/v1/users/${userId}/ratings`, broken), 400, /not valid JSON/);
    expect(await raw(server, '/v1/users', { key: server.keys.app, ...json({ favorites: [999999999] }) })).toMatchObject({
      status: 404,
      body: { message: 'no movie 999999999 in the catalog' },
    });
    expectError(await raw(server, '/v1/users', { key: server.keys.app, ...json({ favorites: [top, top] }) }), 400, /once/);
    expectError(await raw(server, '/v1/users', { key: server.keys.app, ...json({ text: '' }) }), 400, /body field "text"/);
  });

  it("serves the 3D map of every movie and a user's journey over it, one step per rating", async () => {
    const api = server.api(server.keys.user1);
    const served = await (sample ??= servedSample(sampleDir()));
    const map = await api.GET('/v1/map', { params: { query: { method: 'pca' } } });
    expect(map.data!.ids).toHaveLength(served.movies.length);
    expect(map.data!.points).toHaveLength(3 * served.movies.length);
    expect(map.data!.points.every(Number.isFinite)).toBe(true);
    expect(map.data!.titles[0]).toBe(served.movies.find((movie) => movie.movieId === map.data!.ids[0])!.title);
    const history = await server.store.userRatings(1);
    const journey = await api.GET('/v1/users/{userId}/journey', { params: { path: { userId: 1 }, query: { method: 'pca' } } });
    expect(journey.data!.steps.map((step) => step.movieId).sort()).toEqual(history.map((entry) => entry.movieId).sort());
    expect(journey.data!.steps.every((step) => step.point.length === 3 && step.point.every(Number.isFinite))).toBe(true);
    expect((await api.GET('/v1/users/{userId}/journey', { params: { path: { userId: 2 } } })).response.status).toBe(403);
    expectError(await raw(server, '/v1/map?method=tsne', { key: server.keys.user1 }), 400, /querystring field "method": expected one of umap, pca/);
  });

  it('never answers a 5xx to requests generated at random from the OpenAPI document', { timeout: 300_000 }, async () => {
    type Operation = {
      parameters?: { name: string; in: 'path' | 'query' }[];
      requestBody?: { content: { 'application/json'?: { schema: { properties?: Record<string, unknown> } } } };
    };
    const document = (await (await fetch(new URL('/openapi.json', server.url))).json()) as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
    const boundary = fc.constantFrom(
      '',
      '0',
      '-1',
      '1',
      '3',
      '1.5',
      '1e309',
      '9007199254740993',
      'NaN',
      'null',
      'true',
      '%00',
      '..%2F..%2Fetc',
      'é',
      '🎬',
      ' ',
      'a'.repeat(600),
    );
    const text = fc.oneof(boundary, fc.string({ maxLength: 20 }), fc.integer().map(String));
    const answers: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.dictionary(fc.string({ maxLength: 12 }), text, { maxKeys: 2 }),
        fc.array(text, { minLength: 12, maxLength: 12 }),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)),
        fc.array(fc.oneof(fc.jsonValue({ maxDepth: 1 }), boundary), { minLength: 6, maxLength: 6 }),
        async ({ path, method, operation }, extra, values, anyBody, fieldValues) => {
          const parameters = operation.parameters ?? [];
          let url = path;
          const query = new URLSearchParams();
          parameters.forEach((parameter, i) => {
            if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, encodeURIComponent(values[i % values.length]!));
            else if (values[i]!.length % 3 !== 0) query.set(parameter.name, values[i]!);
          });
          for (const [name, value] of Object.entries(extra)) query.set(name, value);
          const properties = Object.keys(operation.requestBody?.content['application/json']?.schema.properties ?? {});
          const body =
            properties.length > 0 && fieldValues.length % 2 === 0
              ? Object.fromEntries(properties.map((name, i) => [name, fieldValues[i % fieldValues.length]]))
              : anyBody;
          const init: RequestInit = { method: method.toUpperCase(), headers: { authorization: `Bearer ${server.keys.admin}` } };
          if (method !== 'get' && method !== 'delete' && body !== undefined) {
            init.body = JSON.stringify(body);
            (init.headers as Record<string, string>)['content-type'] = 'application/json';
          }
          const response = await fetch(new URL(`${url}${query.size ? `?${query}` : ''}`, server.url), init);
          await response.arrayBuffer();
          answers.push(response.status);
          expect([method, url, response.status < 500]).toEqual([method, url, true]);
        },
      ),
      { numRuns: 300 },
    );
    // The generated requests reach both refusals and answers.
    expect(answers.filter((status) => status < 300).length).toBeGreaterThan(10);
    expect(answers.filter((status) => status >= 400).length).toBeGreaterThan(10);
  });

  it('reports the movie vector spaces, their encoders, coverage, the index and their quality', async () => {
    const { data } = await server.api(server.keys.user1).GET('/v1/metrics/embeddings');
    const served = await (sample ??= servedSample(sampleDir()));
    expect(data!.movies).toBe(served.movies.length);
    expect(data!.posterCoverage).toBeCloseTo(served.movies.filter((movie) => movie.poster).length / served.movies.length, 6);
    expect(data!.spaces.map((space) => space.name).sort()).toEqual(expect.arrayContaining(['movie/dna/fusion', 'movie/text/minilm', 'movie/text/tfidf-svd']));
    expect(data!.dna).toMatchObject({ name: 'movie/dna/fusion', count: served.movies.length });
    expect(data!.index.size).toBe(served.movies.length);
    const dna = data!.quality.find((space) => space.name === 'movie/dna/fusion')!;
    expect(dna.genrePrecision10).toBeGreaterThan(dna.random.genrePrecision10!);
  });
});

describe('the HTTP API limits', () => {
  it('refuses a body over the limit (413) and requests over the rate (429), and never answers bad input with a 500', async () => {
    const server = await startServer(STORE_TARGETS[0]!, { rateLimit: 40, bodyLimit: 1024 });
    try {
      const big = await raw(server, '/v1/users', { key: server.keys.app, ...json({ text: 'x'.repeat(5000) }) });
      expect(big).toMatchObject({ status: 413, body: { statusCode: 413 } });
      const garbage = [
        '/v1/users/-1/recommendations',
        '/v1/users/1.5',
        '/v1/movies/%00',
        '/v1/users/1/explain/abc',
        '/posters/xyz',
        '/v1/users/1/ratings/abc',
        '/v1/keys/0',
      ];
      for (const path of garbage) {
        const answer = await raw(server, path, { key: server.keys.admin });
        expect([path, answer.status >= 400 && answer.status < 500]).toEqual([path, true]);
      }
      // Bytes that are not UTF-8 are read as replacement characters: a search for them, answered.
      expect((await raw(server, '/v1/search?query=%FF', { key: server.keys.app })).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 45; i++) statuses.push((await raw(server, '/v1/users/1/recommendations?n=1', { key: server.keys.user1 })).status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      const limited = await raw(server, '/v1/users/1/recommendations?n=1', { key: server.keys.user1 });
      expectError(limited, 429, /requests a minute/);
      // Another key has its own budget, and so has each user an app key acts for.
      expect((await raw(server, '/v1/users/1/recommendations?n=1', { key: server.keys.app })).status).toBe(200);
      expect((await raw(server, '/v1/users/2/recommendations?n=1', { key: server.keys.admin })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('sends security headers and no CORS, never reads a poster outside the posters directory, and never logs a key', async () => {
    const posters = join(sampleDir(), 'posters-root');
    await mkdir(posters, { recursive: true });
    await writeFile(join(sampleDir(), 'secret.txt'), 'the secret next door');
    let crafted = 0;
    const log: string[] = [];
    const server = await startServer(STORE_TARGETS[0]!, {
      logTo: { write: (line) => log.push(line) },
      prepare: async (store) => {
        // A catalog whose poster name climbs out of the posters root.
        const [movie] = await store.listMovies();
        crafted = movie!.movieId;
        await store.importDataset({ movies: [{ ...movie!, poster: '../secret.txt' }], users: [], ratings: interactionsFromRatings([]), tags: [] });
        await store.writeSettings({ postersRoot: posters });
      },
    });
    try {
      const poster = await raw(server, `/posters/${crafted}`);
      expect(poster.status).toBe(404);
      expect(JSON.stringify(poster.body)).not.toContain('secret next door');

      for (const path of ['/', '/health', '/v1/users/1/recommendations?n=1']) {
        const response = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${server.keys.user1}`, origin: 'http://elsewhere.example' } });
        expect([path, response.status]).toEqual([path, 200]);
        expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
      const preflight = await fetch(new URL('/v1/users/1/recommendations', server.url), {
        method: 'OPTIONS',
        headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

      expect(log.length).toBeGreaterThan(3);
      const logged = log.join('');
      // The secret: the 43 characters after rsk_<16 hex digits>_ (it may itself hold an underscore).
      for (const key of Object.values(server.keys)) expect(logged).not.toContain(key.slice('rsk_0123456789abcdef_'.length));
    } finally {
      await server.close();
    }
  });
});

describe('reelsense serve and keys on the command line', () => {
  it('creates a key, serves the API with it until SIGTERM, and revokes it', async () => {
    const served = await (sample ??= servedSample(sampleDir()));
    const created = await runCli(['keys', 'create', '--db', served.db, '--role', 'user', '--user', '4', '--label', 'cli test', '--json']);
    expect([created.status, created.stderr]).toEqual([0, '']);
    const key = JSON.parse(created.stdout) as { key: string; keyId: string; role: string; userId: number };
    expect(key).toMatchObject({ role: 'user', userId: 4, label: 'cli test' });
    const listed = await runCli(['keys', 'list', '--db', served.db]);
    expect(listed.stdout).toMatch(new RegExp(`${key.keyId}\\s+user\\s+4\\s+cli test`));
    expect(listed.stdout).not.toContain(key.key);
    expect((await runCli(['keys', 'create', '--db', served.db, '--role', 'owner'])).stderr).toMatch(/field "--role".*expected one of admin, app, user/);
    expect((await runCli(['keys', 'revoke', 'nope', '--db', served.db])).stderr).toMatch(/argument "keyId".*16 hex digits/);

    const server = await startServeProcess(['serve', '--db', served.db, '--models', served.models]);
    const api = reelsenseClient({ baseUrl: server.url, apiKey: key.key });
    expect((await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 4 }, query: { n: 3 } } })).data!.items).toHaveLength(3);
    expect((await api.GET('/v1/users/{userId}', { params: { path: { userId: 5 } } })).response.status).toBe(403);
    const revoked = await runCli(['keys', 'revoke', key.keyId, '--db', served.db]);
    expect(revoked.stdout).toBe(`Revoked key ${key.keyId}.\n`);
    expect((await api.GET('/v1/users/{userId}', { params: { path: { userId: 4 } } })).response.status).toBe(401);
    // A second server on the same port says so in one line.
    const port = new URL(server.url).port;
    const taken = await runCli(['serve', '--db', served.db, '--port', port]);
    expect([taken.status, taken.stderr]).toEqual([1, `error: 127.0.0.1:${port} is in use (another reelsense serve?): stop it, or give --port\n`]);
    const stopped = await server.stop('SIGTERM');
    expect([stopped.status, stopped.stderr]).toEqual([0, '']);
    expect(stopped.stdout).toMatch(
      /^reelsense is serving .*sample\.db at http:\/\/127\.0\.0\.1:\d+ \(API docs: .*\/docs\)\nWeb UI: http:\/\/127\.0\.0\.1:\d+\/#key=rsk_\w+_[\w-]+\n$/,
    );
  });
});

// The plots run on the same served sample, so that CI builds it once.
describe('reelsense plot on the served sample', () => {
  it('draws the movie map once per DNA (then reads it back), a journey and the λ curve, as HTML and PNG', async () => {
    const served = await (sample ??= servedSample(sampleDir()));
    const out = join(sampleDir(), 'plots');
    await mkdir(out, { recursive: true });
    const html = join(out, 'movies.html');
    const first = await runCli(['plot', 'movies', '--db', served.db, '--out', html, '--method', 'umap']);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toBe(`Wrote The movie DNA (${served.movies.length} movies, UMAP) to ${html}.\n`);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script src=/);
    expect(page).toContain('Plotly.newPlot');
    // Every movie is on the map, each under its first genre.
    // `<\/` keeps a title from closing the script early; JSON reads it as `/`.
    const figure = JSON.parse(/const figure = (.*);\n/.exec(page)![1]!) as { data: { x: number[]; text: string[] }[] };
    expect(figure.data.reduce((sum, trace) => sum + trace.x.length, 0)).toBe(served.movies.length);
    expect(figure.data.flatMap((trace) => trace.text).sort()).toEqual(served.movies.map((movie) => movie.title).sort());
    const manifest = join(served.artifacts, 'maps', 'umap', 'manifest.json');
    const drawnAt = (await stat(manifest)).mtimeMs;
    const again = await runCli(['plot', 'movies', '--db', served.db, '--out', join(out, 'movies.png')]);
    expect(again.status, again.stderr).toBe(0);
    expect((await stat(manifest)).mtimeMs).toBe(drawnAt);

    for (const [plot, file] of [
      ['journey', 'journey.png'],
      ['lambda', 'lambda.html'],
    ] as const) {
      const result = await runCli(['plot', plot, '--db', served.db, '--user', '3', '--out', join(out, file)]);
      expect([plot, result.status, result.stderr]).toEqual([plot, 0, '']);
    }
    for (const file of ['movies.png', 'journey.png']) {
      const image = await sharp(join(out, file)).metadata();
      expect([image.format, image.width, image.height]).toEqual(['png', 1400, 1000]);
    }
    const curve = JSON.parse(/const figure = (.*);\n/.exec(await readFile(join(out, 'lambda.html'), 'utf8'))![1]!) as { data: { x: number[]; y: number[] }[] };
    // λ = 0 picks for diversity, λ = 1 for relevance: the ends of the curve say so.
    const [diversity, relevance] = [curve.data[0]!.x, curve.data[0]!.y];
    expect(diversity[0]).toBeGreaterThan(diversity[10]!);
    expect(relevance[10]).toBeGreaterThan(relevance[0]!);

    const noUser = await runCli(['plot', 'journey', '--db', served.db, '--out', join(out, 'x.png')]);
    expect(noUser.stderr).toMatch(/field "--user"/);
    const badOut = await runCli(['plot', 'movies', '--db', served.db, '--out', join(out, 'x.svg')]);
    expect(badOut.stderr).toMatch(/field "--out".*\.html.*\.png/);
    expect((await runCli(['plot', 'galaxy', '--db', served.db, '--out', html])).stderr).toMatch(/argument "plot"/);
  });
});
