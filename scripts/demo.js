#!/usr/bin/env node
// `npm run demo`: everything the product needs on this machine — dependencies, Postgres, Redis, the
// RapidPro simulator, the web app and a worker — with demo data; prints where to sign in.
import { spawn, spawnSync } from 'node:child_process';
import { canConnect, ensureDependencies, ensurePostgres, ensureRedis, fail, root, stopStartedServices } from './lib/setup.js';

const PORT = Number(process.env.PORT ?? 3000);
const SIMULATOR_PORT = Number(process.env.SIMULATOR_PORT ?? 8001);
const TOKEN = 'demo0token0000000000000000000000000000000';
const BASE_HOST = `tracpro.localhost:${PORT}`;

ensureDependencies();
if (await canConnect(PORT)) fail(`port ${PORT} is in use: stop what runs there, or run PORT=3100 npm run demo`);
const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  DATABASE_URL: await ensurePostgres('tracpro'),
  REDIS_URL: await ensureRedis(),
  BASE_HOST,
  PORT: String(PORT),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

function tracpro(...args) {
  const result = spawnSync('node', ['bin/tracpro.js', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) fail(`tracpro ${args[0]} failed`);
  return result.stdout;
}

const children = [];
function start(name, args) {
  const child = spawn('node', args, { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`tracpro: the ${name} stopped (exit ${code}); stopping the demo`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  stopStartedServices();
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

process.stdout.write(tracpro('migrate'));
if (await canConnect(SIMULATOR_PORT)) fail(`port ${SIMULATOR_PORT} is in use: set SIMULATOR_PORT`);
// The simulated workspace's half year of history ends today, so "last 30 days", "current month" and
// messages sent from the demo fall among its data.
start('RapidPro simulator', ['bin/tracpro.js', 'simulator', '--port', String(SIMULATOR_PORT), '--seed', '42', '--workspace', `demo:${TOKEN}`, '--contacts', '5000', '--weeks', '26', '--clock', 'x60', '--now', new Date().toISOString()]);
const accounts = tracpro('demo:seed', '--api-url', `http://127.0.0.1:${SIMULATOR_PORT}`, '--api-token', TOKEN);
start('web and worker', ['--import', 'tsx', 'src/main.ts', 'web', 'worker']);

for (let i = 0; i < 300 && !(await canConnect(PORT)); i++) await new Promise((r) => setTimeout(r, 100));
console.log(`
TracPro demo is running (Ctrl-C stops it).

  Demo org:        http://demo.${BASE_HOST}/
  Org chooser:     http://${BASE_HOST}/
  RapidPro (sim):  http://127.0.0.1:${SIMULATOR_PORT}/  token ${TOKEN}
`);
console.log(accounts.trimEnd());
console.log(`\n  Mail sent by the app: http://${BASE_HOST}/manage/outbox (superuser)\n`);
