import { describe, expect, it } from 'vitest';
import { commandProgress, logLines } from '../../src/cli/progress.js';
import { separateProgress } from '../support/cli.js';

/** A clock the test moves by hand, and a stream that keeps what is written to it. */
function fakeLog() {
  let time = 1_700_000_000_000;
  const written: string[] = [];
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    stream: {
      isTTY: false,
      write: (text: string) => {
        written.push(text);
        return true;
      },
    },
    written,
  };
}

describe('progress lines off a terminal', () => {
  it('carries the latest status of a phase (running losses, say) at the end of its lines', () => {
    const log = fakeLog();
    const phase = logLines(log.stream, log.now)('fusion epoch 1', 4);
    phase.tick(1, 'loss genre 0.090');
    log.advance(10_000);
    phase.tick(1, 'loss genre 0.080');
    phase.tick(2);
    phase.done();
    expect(log.written).toEqual([
      'fusion epoch 1: 50% (2/4), 10 s elapsed, ETA 10 s | loss genre 0.080\n',
      'fusion epoch 1: 100% (4/4), 10 s elapsed, done | loss genre 0.080\n',
    ]);
  });

  it('stays quiet for a phase that ends within ten seconds', () => {
    const log = fakeLog();
    const phase = logLines(log.stream, log.now)('reading', 10);
    for (let step = 0; step < 10; step++) {
      log.advance(900);
      phase.tick();
    }
    phase.done();
    expect(log.written).toEqual([]);
  });

  it('prints share, counts, elapsed time and ETA at most every ten seconds, and a last line when done', () => {
    const log = fakeLog();
    const phase = logLines(log.stream, log.now)('writing', 1000);
    log.advance(10_000);
    phase.tick(250);
    log.advance(5_000);
    phase.tick(250);
    log.advance(60_000);
    phase.tick(350);
    log.advance(5_000);
    phase.tick(150);
    phase.done();
    expect(log.written).toEqual([
      'writing: 25% (250/1000), 10 s elapsed, ETA 30 s\n',
      'writing: 85% (850/1000), 1 min 15 s elapsed, ETA 13 s\n',
      'writing: 100% (1000/1000), 1 min 20 s elapsed, done\n',
    ]);
  });

  it('is what commandProgress gives when stderr is not a terminal', () => {
    const log = fakeLog();
    const phase = commandProgress(log.stream as unknown as NodeJS.WriteStream, log.now)('fit mf', 4);
    log.advance(12_000);
    phase.tick(3);
    expect(log.written).toEqual(['fit mf: 75% (3/4), 12 s elapsed, ETA 4.0 s\n']);
  });

  it('are told apart from errors by the CLI test harness', () => {
    const log = fakeLog();
    const phase = logLines(log.stream, log.now)('rank itemknn', 2);
    log.advance(10_000);
    phase.tick();
    phase.done();
    const stderr = `${log.written.join('')}error: something failed\n`;
    expect(separateProgress(stderr)).toEqual({ stderr: 'error: something failed\n', progress: log.written });
  });
});
