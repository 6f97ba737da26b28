/**
 * API keys: `rsk_<keyId>_<secret>`. The key id is public (it names the key in lists and revocations); only a SHA-256
 * hash of the secret is stored, and a presented secret is checked against it in constant time. The secret carries
 * 256 random bits, so a fast hash is enough: there is nothing to guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserId } from '../domain.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { ApiKeyRecord, ApiKeyRole, Store } from '../store/store.js';

const KEY_PATTERN = /^rsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  role: ApiKeyRole;
  /** Required for a `user` key, refused for the others. */
  userId?: UserId | undefined;
  label?: string | undefined;
}

export interface IssuedApiKey {
  /** The whole key, shown once: only its hash is kept. */
  key: string;
  record: ApiKeyRecord;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Creates a key and stores its hash; the key itself is returned once and never again. */
export async function issueApiKey(store: Pick<Store, 'createApiKey' | 'hasUser'>, request: NewApiKey, now = Math.floor(Date.now() / 1000)): Promise<IssuedApiKey> {
  if (request.role === 'user' && request.userId === undefined) throw new UsageError('a user key needs the user it acts for (--user, or userId)');
  if (request.role !== 'user' && request.userId !== undefined) throw new UsageError(`an ${request.role} key acts for every user: give no user (--user, or userId)`);
  if (request.userId !== undefined && !(await store.hasUser(request.userId))) throw new NotFoundError(`no user ${request.userId} in the store`);
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    keyId,
    role: request.role,
    userId: request.userId ?? null,
    secretHash: hashSecret(secret),
    label: request.label ?? null,
    createdAt: now,
    revokedAt: null,
  };
  await store.createApiKey(record);
  return { key: `rsk_${keyId}_${secret}`, record };
}

/** The live key that `presented` is, or null for a malformed, unknown, wrong or revoked key. */
export async function verifyApiKey(store: Pick<Store, 'findApiKey'>, presented: string): Promise<ApiKeyRecord | null> {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return null;
  const record = await store.findApiKey(match[1]!);
  if (!record || record.revokedAt !== null) return null;
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(match[2]!), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : null;
}

/** A key as it may be shown: everything but the hash. */
export type PublicApiKey = Omit<ApiKeyRecord, 'secretHash'>;

export function publicKeyOf(record: ApiKeyRecord): PublicApiKey {
  return { keyId: record.keyId, role: record.role, userId: record.userId, label: record.label, createdAt: record.createdAt, revokedAt: record.revokedAt };
}
