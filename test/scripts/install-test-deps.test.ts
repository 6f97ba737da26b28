import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'install-test-deps.sh');

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/**
 * A machine in a temp dir: a PostgreSQL bin directory (with initdb unless `server` is false, and pgvector's control
 * file unless `pgvector` is false), and dpkg-query, apt-get and sudo stand-ins first on PATH. dpkg reports every
 * package installed except `missing`; apt-get only logs its arguments, and installing creates initdb.
 */
function fakeMachine({ server = true, pgvector = true, browser = true, missing = [] as string[] } = {}) {
  const dir = tempDir();
  const [bin, pgBin, share] = ['bin', 'pg', 'share'].map((name) => join(dir, name)) as [string, string, string];
  for (const path of [bin, pgBin, join(share, 'extension')]) mkdirSync(path, { recursive: true });
  const aptLog = join(dir, 'apt.log');
  executable(join(pgBin, 'pg_config'), `[ "$1" = --sharedir ] && echo '${share}'`);
  executable(join(pgBin, 'postgres'), 'echo "postgres (PostgreSQL) 15.99"');
  if (server) executable(join(pgBin, 'initdb'), 'true');
  if (pgvector) writeFileSync(join(share, 'extension', 'vector.control'), "default_version = '0.8.1'\n");
  const chromium = join(dir, 'chromium');
  const fakeChromium = () => executable(chromium, 'echo "Chromium 999.0 built on Debian"');
  if (browser) fakeChromium();
  executable(join(bin, 'dpkg-query'), `case " ${missing.join(' ')} " in *" \${@: -1} "*) echo "unknown ok not-installed" ;; *) echo "install ok installed" ;; esac`);
  executable(
    join(bin, 'apt-get'),
    `echo "$*" >> '${aptLog}'; [ "$1" = install ] && cp '${join(pgBin, 'postgres')}' '${join(pgBin, 'initdb')}' && printf '#!/usr/bin/env bash\\necho "Chromium 999.0 built on Debian"\\n' > '${chromium}' && chmod +x '${chromium}'; true`,
  );
  executable(join(bin, 'sudo'), 'exec "$@"');
  const run = (...args: string[]) =>
    spawnSync('bash', [SCRIPT, ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, REELSENSE_PG_BIN: pgBin, REELSENSE_CHROMIUM: chromium },
    });
  const aptCalls = () => (existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : []);
  return { run, aptCalls };
}

describe('scripts/install-test-deps.sh', () => {
  it('with everything there, installs nothing and does not even call apt-get', () => {
    const machine = fakeMachine();
    const result = machine.run();
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('install-test-deps: PostgreSQL 15.99 with pgvector 0.8.1, Chromium 999.0 built on Debian\n');
    expect(machine.run('--dry-run').stdout).toBe('install-test-deps: would install: nothing\n');
    expect(machine.aptCalls()).toEqual([]);
  });

  it('installs only the packages that are missing, without upgrading any', () => {
    const machine = fakeMachine({ server: false, missing: ['postgresql-15', 'dpkg-dev'] });
    expect(machine.run('--dry-run').stdout).toBe('install-test-deps: would install: postgresql-15\n');
    expect(machine.aptCalls()).toEqual([]);
    const result = machine.run();
    expect(result.stdout).toBe('install-test-deps: installing postgresql-15\ninstall-test-deps: PostgreSQL 15.99 with pgvector 0.8.1, Chromium 999.0 built on Debian\n');
    expect(machine.aptCalls()).toEqual(['update -qq', 'install -y -qq --no-install-recommends --no-upgrade postgresql-15']);
  });

  it('without Chromium, installs it for the browser tests', () => {
    const machine = fakeMachine({ browser: false, missing: ['chromium'] });
    expect(machine.run('--dry-run').stdout).toBe('install-test-deps: would install: chromium\n');
    const result = machine.run();
    expect(result.stdout).toBe('install-test-deps: installing chromium\ninstall-test-deps: PostgreSQL 15.99 with pgvector 0.8.1, Chromium 999.0 built on Debian\n');
    expect(machine.aptCalls()).toEqual(['update -qq', 'install -y -qq --no-install-recommends --no-upgrade chromium']);
  });

  it('without pgvector, wants the build tools that are missing and the build', () => {
    const machine = fakeMachine({ pgvector: false, missing: ['build-essential', 'dpkg-dev'] });
    expect(machine.run('--dry-run').stdout).toBe(
      "install-test-deps: would install: build-essential dpkg-dev\ninstall-test-deps: would build pgvector from Debian trixie's source package\n",
    );
    expect(machine.aptCalls()).toEqual([]);
  });
});
