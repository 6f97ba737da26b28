/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temp directory, started on 127.0.0.1 on a
 * free port with pgvector created in template1 (so every new database has it), stopped and removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { maskPassword } from '../../src/store/postgres.js';

export const INSTALL_HINT = 'run `bash scripts/install-test-deps.sh` (installs PostgreSQL 15 and builds pgvector 0.8)';

export interface Cluster {
  /** A superuser URL to the `postgres` maintenance database. */
  url: string;
  stop(): Promise<void>;
}

/** REELSENSE_PG_BIN, else the newest Debian server directory, else what `pg_config --bindir` names. */
function serverBinDir(): string {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => `/usr/lib/postgresql/${major}/bin`)
    : [];
  const fromPgConfig = (() => {
    try {
      return [execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()];
    } catch {
      return [];
    }
  })();
  const candidates = [process.env.REELSENSE_PG_BIN, ...debian, ...fromPgConfig].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error(`PostgreSQL server programs (initdb, pg_ctl) not found (looked in ${candidates.join(', ') || 'nothing'}): ${INSTALL_HINT}`);
  return found;
}

/** initdb refuses to run as root: as root the cluster belongs to the `postgres` user and its programs run through runuser. */
function serverUser(): { command: (program: string, args: string[]) => [string, string[]]; chown(path: string): void } {
  if (process.getuid?.() !== 0) return { command: (program, args) => [program, args], chown: () => undefined };
  let ids: number[];
  try {
    ids = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()));
  } catch {
    throw new Error(`running as root and there is no \`postgres\` user to run the test cluster as: ${INSTALL_HINT}`);
  }
  return { command: (program, args) => ['runuser', ['-u', 'postgres', '--', program, ...args]], chown: (path) => chownSync(path, ids[0]!, ids[1]!) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = serverBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-pg-'));
  user.chown(dir);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const run = (program: string, args: string[]) => {
    const [command, commandArgs] = user.command(join(bin, program), args);
    execFileSync(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Stops the server even when the run ends without the teardown (a crash, an interrupted run).
  const stopOnExit = () => void stop();
  process.once('exit', stopOnExit);
  try {
    run('initdb', ['-D', data, '-U', 'reelsense', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c max_connections=200`;
    try {
      run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
    } catch (error) {
      throw new Error(`the test PostgreSQL server did not start: ${(error as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`, { cause: error });
    }
    started = true;
    const url = `postgres://reelsense@127.0.0.1:${port}/postgres`;
    await requirePgvector(url.replace(/\/postgres$/, '/template1'), 'CREATE EXTENSION IF NOT EXISTS vector', INSTALL_HINT);
    return {
      url,
      stop: async () => {
        process.off('exit', stopOnExit);
        await stop();
      },
    };
  } catch (error) {
    process.off('exit', stopOnExit);
    await stop();
    throw error;
  }
}

/** Runs `sql` (creating or checking pgvector) and turns a failure into a message that ends with what to do. */
export async function requirePgvector(url: string, sql: string, hint: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const result = await client.query(sql);
    if (result.command === 'SELECT' && result.rowCount === 0) throw new Error('the vector extension is not available');
  } catch (error) {
    throw new Error(`PostgreSQL at ${maskPassword(url)} cannot provide pgvector: ${(error as Error).message}: ${hint}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement on the server of `adminUrl` (a superuser URL). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a database `name` on the server of `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
