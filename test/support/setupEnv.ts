import { inject } from 'vitest';
import { TEST_REDIS_URL } from './testEnv.js';

// Runs in every test worker before the test file imports the app: configuration for tests.
Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_URL: inject('databaseUrl'),
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: inject('redisPrefix'),
  BASE_HOST: process.env.TEST_BASE_HOST ?? 'tracpro.localhost',
  PASSWORD_HASH_MEMORY_KIB: '1024',
  PASSWORD_HASH_TIME_COST: '1',
  MAIL_URL: 'outbox',
  DISABLE_SCHEDULES: 'true',
  DATABASE_POOL_SIZE: '4',
  // RapidPro is the simulator on loopback: retry in milliseconds, no client-side budget.
  RAPIDPRO_RETRY_BASE_MS: '5',
  RAPIDPRO_TIMEOUT_MS: '5000',
  RAPIDPRO_BUDGET_OFF: 'true',
});
