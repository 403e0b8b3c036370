#!/usr/bin/env node
// `npm test`: typecheck, lint, vitest (real Postgres and Redis), then the browser tests in Chromium.
// Prints the ten slowest test files and a closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, ensurePostgres, ensureRedis, fail, root, stopStartedServices } from './lib/setup.js';

ensureDependencies();
const databaseUrl = await ensurePostgres('postgres');
const redisUrl = await ensureRedis();
const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, FORCE_COLOR: process.env.CI ? '0' : '1' };

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  return result.status === 0;
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) fail('browser tests need Chromium: apt-get install chromium');
  console.log('Installing Chromium from Debian for the browser tests…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  const installed = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (installed.status !== 0) fail('could not install Chromium: apt-get install chromium');
}

const results = path.join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
const ok = [
  step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  step('lint', 'npx', ['eslint', '.']),
  step('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/unit.json`]),
];
ensureChromium();
ok.push(step('browser tests', 'npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/browser.json`]));
stopStartedServices();

const files = [];
let passed = 0;
let failed = 0;
for (const name of ['unit.json', 'browser.json']) {
  const file = path.join(results, name);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const suite of report.testResults) files.push({ name: path.relative(root, suite.name), ms: suite.endTime - suite.startTime });
}
console.log('\nSlowest test files:');
for (const f of files.sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.name}`);
const failedSteps = ok.filter((s) => !s).length;
console.log(`\ntests: ${passed} passed, ${failed + (failedSteps && !failed ? failedSteps : 0)} failed`);
process.exit(ok.every(Boolean) ? 0 : 1);
