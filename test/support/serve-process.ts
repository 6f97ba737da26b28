/**
 * A command that ends by serving (`reelsense serve`, or the main job) as a child process, the way users run it:
 * started from source with `--port 0`, ready once it prints its URL, stopped by a signal (SIGTERM for a clean
 * shutdown, SIGKILL for a crash).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface ServeProcess {
  url: string;
  pid: number;
  /** What it printed before it listened (the main job's report), and the web UI's URL with its key. */
  printed: string;
  uiUrl: string;
  /** Sends the signal and resolves with how the process ended and everything it printed. */
  stop(signal?: NodeJS.Signals): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `reelsense ARGS --port 0` and resolves once it says where it listens; rejects if it exits or hangs first. */
export function startServeProcess(args: string[], timeoutMs = 120_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`reelsense serve did not start within ${timeoutMs / 1000} s; stderr:\n${stderr}`));
    }, timeoutMs);
    void ended.then(({ status }) => {
      clearTimeout(timer);
      reject(new Error(`reelsense serve exited with ${status} before listening; stderr:\n${stderr}`));
    });
    child.stdout.on('data', () => {
      const url = / at (http:\/\/\S+) /.exec(stdout)?.[1];
      const uiUrl = /^Web UI: (\S+)$/m.exec(stdout)?.[1];
      if (!url || !uiUrl) return;
      clearTimeout(timer);
      resolve({
        url,
        pid: child.pid!,
        uiUrl,
        printed: stdout.slice(0, stdout.indexOf('reelsense is serving')),
        stop: async (signal = 'SIGTERM') => {
          child.kill(signal);
          return { ...(await ended), stdout, stderr };
        },
      });
    });
  });
}
