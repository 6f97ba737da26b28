/** Every command's --help (what `helpInformation` returns is what --help prints), checked for the facts it must state. */
import type { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { reelsenseProgram } from '../../src/cli/program.js';

const program = reelsenseProgram();
const commandNames = program.commands.map((command) => command.name());

/** An option's entry in a help text, its wrapped lines joined: from its flags to the next option or the end. */
function helpEntry(help: string, option: Option): string {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`${option.flags} `));
  if (start < 0) throw new Error(`${option.flags} is not in the help:\n${help}`);
  const following = lines.slice(start + 1);
  const end = following.findIndex((line) => line.trim() === '' || line.trimStart().startsWith('-'));
  return [lines[start]!, ...following.slice(0, end)].join(' ').replace(/\s+/g, ' ').trim();
}

function commandHelp(name: string): { help: string; options: readonly Option[] } {
  const command = program.commands.find((candidate) => candidate.name() === name)!;
  return { help: command.helpInformation(), options: command.options };
}

describe('reelsense --help', () => {
  it('describes exactly the commands there are', () => {
    const named = [...program.description().matchAll(/\(([^)]+)\)/g)].flatMap((match) => match[1]!.split(', '));
    expect(named.sort()).toEqual([...commandNames].sort());
  });
});

describe.each(commandNames)('reelsense %s --help', (name) => {
  const { help, options } = commandHelp(name);

  it('shows the usage and every option', () => {
    expect(help).toContain(`Usage: reelsense ${name} [options]`);
    for (const option of options) expect(helpEntry(help, option)).not.toBe('');
  });

  it('marks required options as required, and only those', () => {
    for (const option of options) {
      if (option.mandatory) expect(helpEntry(help, option)).toMatch(/\(required\)$/);
      else expect(helpEntry(help, option)).not.toContain('(required)');
    }
  });

  it('says what --db takes and where its default comes from', () => {
    const db = options.find((option) => option.long === '--db');
    if (db) expect(helpEntry(help, db)).toContain('SQLite file or postgres:// URL (default: $REELSENSE_DB or reelsense.db)');
  });
});

describe('option help that names what is accepted', () => {
  it('pipeline --dataset defaults to $REELSENSE_DATASET', () => {
    const { help, options } = commandHelp('pipeline');
    expect(
      helpEntry(
        help,
        options.find((option) => option.long === '--dataset')!,
      ),
    ).toContain('(default: $REELSENSE_DATASET or ml-latest-small)');
  });

  it('ingest --posters names the image types it reads', () => {
    const { help, options } = commandHelp('ingest');
    const posters = helpEntry(
      help,
      options.find((option) => option.long === '--posters')!,
    );
    for (const extension of ['.jpg', '.jpeg', '.png', '.webp']) expect(posters).toContain(extension);
  });
});
