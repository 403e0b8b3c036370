import type { Server } from 'node:http';
import { setPriority } from 'node:os';
import type { Worker } from 'bullmq';
import { closeDb } from './db/client.js';
import { closeRedis } from './db/redis.js';
import { env } from './env.js';
import { closeQueues } from './jobs/queues.js';
import { registerSchedules } from './jobs/schedules.js';
import { startWorkers } from './jobs/worker.js';
import { createLogger } from './logger.js';
import { createApp } from './web/app.js';

const SHUTDOWN_TIMEOUT_MS = 60_000;

/**
 * Starts the roles asked for on the command line: `web`, `worker`, or both (`web worker`).
 * SIGTERM and SIGINT stop accepting work, let current requests and jobs finish, then exit.
 */
async function main(roles: string[]) {
  let config;
  try {
    config = env();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const logger = createLogger({ role: roles.join('+') });
  let server: Server | undefined;
  let workers: Worker[] = [];

  if (roles.includes('worker')) {
    if (!roles.includes('web')) lowerPriority(config.WORKER_NICE, logger);
    workers = startWorkers(logger, config.WORKER_QUEUES);
    if (!config.DISABLE_SCHEDULES) logger.info({ schedules: await registerSchedules() }, 'job schedulers registered');
  }
  if (roles.includes('web')) {
    server = createApp(logger).listen(config.PORT, () => logger.info({ port: config.PORT, baseHost: config.BASE_HOST }, 'web listening'));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    await Promise.all([
      new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))),
      ...workers.map((w) => w.close()),
    ]);
    await Promise.all([closeQueues(), closeRedis(), closeDb()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Lowers a worker process's CPU priority so that, on a machine it shares with web processes,
 * background jobs wait for requests rather than the other way round.
 * @param nice the nice value (0 leaves the priority alone).
 * @param logger the process logger.
 */
function lowerPriority(nice: number, logger: ReturnType<typeof createLogger>) {
  if (!nice) return;
  try {
    setPriority(nice);
  } catch (error) {
    logger.warn({ err: error, nice }, 'could not lower the worker priority');
  }
}

const roles = process.argv.slice(2).filter((r) => r === 'web' || r === 'worker');
await main(roles.length ? roles : ['web', 'worker']);
