import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Kills the child after this long, so a hang fails with its output rather than as a bare test timeout. */
  timeoutMs?: number;
}

/** Below the integration tests' own timeout (vitest.config.ts), so the kill comes first and says what hung. */
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Runs a command in the repository root to its end without blocking the test worker (no spawnSync): resolves with its
 * exit status and output, rejects when it cannot start or when it outlives `timeoutMs` and is killed.
 */
export function runProcess(command: string, args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      if (killed) reject(new Error(`${[command, ...args].join(' ')} was killed after ${timeoutMs / 1000} s; stderr so far:\n${stderr}`));
      else resolve({ status, signal, stdout, stderr });
    });
  });
}

/** A line of src/cli/progress.ts's `logLines`: `label: 45% (4500/10000), 12 s elapsed, ETA 15 s` (or `, done`). */
const PROGRESS_LINE = /^[^\n]+: \d+% \(\d+\/\d+\), [^\n]+ elapsed(, ETA [^\n]+|, done[^\n]*)\n/gm;

/** Splits stderr into the progress lines and the rest. */
export function separateProgress(stderr: string): { stderr: string; progress: string[] } {
  return { stderr: stderr.replace(PROGRESS_LINE, ''), progress: stderr.match(PROGRESS_LINE) ?? [] };
}

export interface CliResult extends ProcessResult {
  /** Progress lines: the CLI prints one for a phase that runs past ten seconds, which depends on the machine's load. */
  progress: string[];
}

/**
 * Runs the CLI from source (`node --import tsx src/cli/main.ts …`), as a user would run `reelsense …`. Progress lines are
 * taken out of `stderr`, so a test can ask for an empty stderr however slow the machine is.
 */
export async function runCli(args: string[], options: ProcessOptions = {}): Promise<CliResult> {
  const result = await runProcess(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], options);
  return { ...result, ...separateProgress(result.stderr) };
}
