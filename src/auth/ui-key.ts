/**
 * The web UI's API key: an `app` key (the UI creates users and acts for them), kept in `<artifacts>/web-ui.key`
 * (readable by its owner only) so that a restarted server prints the same URL and open tabs keep working. A key
 * there that no longer verifies (revoked, another store) is replaced.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { issueApiKey, verifyApiKey } from './keys.js';

export const webUiKeyFile = (artifacts: string) => join(artifacts, 'web-ui.key');

export async function webUiKey(store: Pick<Store, 'findApiKey' | 'createApiKey' | 'hasUser'>, artifacts: string): Promise<string> {
  const file = webUiKeyFile(artifacts);
  if (existsSync(file)) {
    const saved = (await readFile(file, 'utf8')).trim();
    if (await verifyApiKey(store, saved)) return saved;
  }
  const { key } = await issueApiKey(store, { role: 'app', label: 'web UI' });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return key;
}
