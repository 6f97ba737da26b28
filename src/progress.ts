import cliProgress from 'cli-progress';

/** One phase of long work: `tick` as items finish, `done` at the end. */
export interface ProgressBar {
  tick(count?: number): void;
  done(): void;
}

/** Starts a bar for a phase of `total` items. Library code takes one of these so the CLI decides how progress shows. */
export type Progress = (label: string, total: number) => ProgressBar;

export const silentProgress: Progress = () => ({ tick() {}, done() {} });

/** A bar with rate and ETA on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  return (label, total) => {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label.padEnd(18)} {bar} {percentage}% | {value}/{total} | {duration_formatted} elapsed | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      tick: (count = 1) => bar.increment(count),
      done: () => bar.stop(),
    };
  };
}
