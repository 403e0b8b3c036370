#!/usr/bin/env node
// The `tracpro` command: runs the TypeScript CLI through tsx (see src/cli/index.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
