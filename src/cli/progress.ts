import cliProgress from 'cli-progress';
import type { Progress } from '../progress.js';

/** How often a phase prints a line when stderr is not a terminal (CI logs, pipes). */
const LOG_INTERVAL_MS = 10_000;

/**
 * A bar with rate and ETA on stderr when it is a terminal; otherwise a plain line every ten seconds of a phase (and one
 * at its end if any was printed), so a long run in a log shows that it moves and when it will finish, and a short one
 * stays quiet.
 */
export function commandProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  return stream.isTTY ? terminalBar(stream) : logLines(stream, now);
}

function terminalBar(stream: NodeJS.WriteStream): Progress {
  return (label, total) => {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label.padEnd(18)} {bar} {percentage}% | {value}/{total} | {duration_formatted} elapsed | ETA {eta_formatted}{detail}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      tick: (count = 1, detail?: string) => bar.increment(count, { detail: detail ? ` | ${detail}` : '' }),
      done: () => bar.stop(),
    };
  };
}

/** `label: 45% (4500/10000), 12 s elapsed, ETA 15 s` lines. */
export function logLines(stream: Pick<NodeJS.WritableStream, 'write'>, now: () => number = Date.now): Progress {
  return (label, total) => {
    const started = now();
    let value = 0;
    let lastLine = started;
    let printed = false;
    let status = '';
    const line = (final: boolean) => {
      const elapsed = (now() - started) / 1000;
      const share = total > 0 ? Math.min(1, value / total) : 1;
      const eta = final || share === 0 ? '' : `, ETA ${formatSeconds((elapsed / share) * (1 - share))}`;
      stream.write(`${label}: ${Math.round(share * 100)}% (${value}/${total}), ${formatSeconds(elapsed)} elapsed${eta}${final ? ', done' : ''}${status}\n`);
    };
    return {
      tick(count = 1, detail?: string) {
        value += count;
        if (detail) status = ` | ${detail}`;
        if (now() - lastLine >= LOG_INTERVAL_MS) {
          lastLine = now();
          printed = true;
          line(false);
        }
      },
      done() {
        if (printed) line(true);
      },
    };
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
