#!/usr/bin/env node
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { evaluateCommand } from './evaluate.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { pipelineCommand } from './pipeline.js';
import { statsCommand } from './stats.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('reelsense')
  .description('multimodal movie recommender: import, encode, train, evaluate and serve')
  .version(version)
  .showHelpAfterError()
  .addCommand(pipelineCommand())
  .addCommand(ingestCommand())
  .addCommand(statsCommand())
  .addCommand(migrateCommand())
  .addCommand(evaluateCommand());

await program.parseAsync();
