import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('reelsense evaluate (flags)', () => {
  it('has --help naming every protocol and model', async () => {
    const result = await runCli(['evaluate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: reelsense evaluate');
    for (const word of ['temporal', 'global-time', 'cold-users', 'cold-items', 'random,pop,itemknn,mf,biased-mf', '--relevance']) expect(result.stdout).toContain(word);
  });

  it.each([
    [['--models', 'pop,nope'], 'error: command line (field "--models"): unknown model "nope"; known: random, pop, itemknn, mf, biased-mf\n'],
    [['--models', 'pop,pop'], 'error: command line (field "--models"): a model is named twice\n'],
    [['--protocol', 'leave-one-out'], 'error: command line (field "--protocol"): '],
    [['--k', '0'], 'error: command line (field "--k"): '],
    [['--relevance', 'liked'], 'error: command line (field "--relevance"): '],
  ])('rejects %j with one line', async (flags, message) => {
    const result = await runCli(['evaluate', '--db', 'unused.db', '--out', 'unused', ...flags]);
    expect(result.status).toBe(1);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('requires --out', async () => {
    const result = await runCli(['evaluate', '--db', 'unused.db']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("required option '--out <dir>' not specified");
  });
});
