import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';

/** A fresh temporary directory, removed when the current test finishes, or through `removeWith` (e.g. afterAll). */
export function tempDir(removeWith: (remove: () => void) => void = onTestFinished): string {
  const dir = mkdtempSync(join(tmpdir(), 'reelsense-test-'));
  removeWith(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh temporary directory shared by the tests of one file (a store built once, read by several), removed after them all. */
export function fileTempDir(): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelsense-test-'));
  });
  afterAll(() => rmSync(dir!, { recursive: true, force: true }));
  return () => dir!;
}
