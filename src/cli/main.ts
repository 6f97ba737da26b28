#!/usr/bin/env node
import { reelsenseProgram } from './program.js';
import { runCommand } from './run.js';

// Building the program reads REELSENSE_* settings: a bad one is reported in one line, like a bad flag.
await runCommand(async () => {
  await reelsenseProgram().parseAsync();
})();
