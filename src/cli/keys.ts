import { Command } from 'commander';
import { z } from 'zod';
import { issueApiKey, publicKeyOf } from '../auth/keys.js';
import { showValue, UsageError } from '../errors.js';
import { API_KEY_ROLES } from '../store/store.js';
import { dbOption, jsonFlag, parseFlags, storeFlag } from './flags.js';
import { formatTable } from './format.js';
import { printJson, runCommand } from './run.js';
import { userIdFlag } from './service.js';
import { withStore } from './store.js';

const createSchema = z.object({
  db: storeFlag,
  role: z.enum(API_KEY_ROLES, { message: `expected one of ${API_KEY_ROLES.join(', ')}` }),
  user: userIdFlag.optional(),
  label: z.string().trim().min(1, 'expected a few words saying what the key is for').max(200, 'expected at most 200 characters').optional(),
  json: jsonFlag,
});
const listSchema = z.object({ db: storeFlag, json: jsonFlag });
const revokeSchema = z.object({ db: storeFlag, json: jsonFlag });
const KEY_ID = /^[0-9a-f]{16}$/;

const when = (seconds: number | null) => (seconds === null ? '' : new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));

function createCommand(): Command {
  return new Command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .addOption(dbOption())
    .requiredOption('--role <role>', 'admin (users and keys), app (any user) or user (one user)')
    .option('--user <id>', 'the user a user key acts for')
    .option('--label <text>', 'what the key is for, shown by keys list')
    .option('--json', 'print {key, keyId, role, userId, label, createdAt}')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(createSchema, raw);
        const issued = await withStore(flags.db, { create: false }, (store) => issueApiKey(store, { role: flags.role, userId: flags.user, label: flags.label }));
        if (flags.json) printJson({ key: issued.key, ...publicKeyOf(issued.record) });
        else {
          const whose = issued.record.userId === null ? '' : ` for user ${issued.record.userId}`;
          process.stdout.write(
            `${issued.key}\n\n${issued.record.role === 'user' ? 'A' : 'An'} ${issued.record.role} key${whose}, id ${issued.record.keyId}. Keep it now: it is not shown again.\n`,
          );
        }
      }),
    );
}

function listCommand(): Command {
  return new Command('list')
    .description('list the API keys (never their secrets)')
    .addOption(dbOption())
    .option('--json', 'print {keys: [{keyId, role, userId, label, createdAt, revokedAt}]}')
    .action(
      runCommand(async (raw: unknown) => {
        const flags = parseFlags(listSchema, raw);
        const keys = await withStore(flags.db, { create: false }, (store) => store.listApiKeys());
        if (flags.json) printJson({ keys: keys.map(publicKeyOf) });
        else if (keys.length === 0) process.stdout.write('No API keys yet: create one with `reelsense keys create --role admin`.\n');
        else {
          const rows = keys.map((key) => [key.keyId, key.role, key.userId === null ? '' : String(key.userId), key.label ?? '', when(key.createdAt), when(key.revokedAt)]);
          process.stdout.write(`${formatTable(['key id', 'role', 'user', 'label', 'created', 'revoked'], rows)}\n`);
        }
      }),
    );
}

function revokeCommand(): Command {
  return new Command('revoke')
    .description('revoke an API key: it stops working at once')
    .argument('<keyId>', 'the key id, as keys list shows it')
    .addOption(dbOption())
    .option('--json', 'print {keyId, revoked}')
    .action(
      runCommand(async (rawKeyId: string, raw: unknown) => {
        const flags = parseFlags(revokeSchema, raw);
        if (!KEY_ID.test(rawKeyId))
          throw new UsageError(`command line (argument "keyId"): expected the 16 hex digits after rsk_ (see \`keys list\`), not ${showValue(rawKeyId)}`);
        const keyId = rawKeyId;
        const revoked = await withStore(flags.db, { create: false }, async (store) => {
          if (!(await store.findApiKey(keyId))) throw new UsageError(`no API key ${keyId} in ${store.location}`);
          return store.revokeApiKey(keyId, Math.floor(Date.now() / 1000));
        });
        if (flags.json) printJson({ keyId, revoked });
        else process.stdout.write(revoked ? `Revoked key ${keyId}.\n` : `Key ${keyId} was revoked already.\n`);
      }),
    );
}

export function keysCommand(): Command {
  return new Command('keys')
    .description('API keys for the HTTP server: create, list, revoke')
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(revokeCommand());
}
