#!/usr/bin/env node
// The `tracpro` command: runs the TypeScript CLI through tsx (see src/cli/index.ts).
import { register } from 'tsx/esm/api';

// The CLI prints its own lines; request logs only when asked (LOG_LEVEL=info).
process.env.LOG_LEVEL ??= 'warn';
register();
await import('../src/cli/index.ts');
