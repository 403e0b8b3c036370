import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/env.js';
import { QUEUE_NAMES } from '../../src/jobs/queueNames.js';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('configuration', () => {
  it('lets a worker consume chosen queues, every queue by default, and refuses unknown ones', () => {
    expect(parseEnv(base).WORKER_QUEUES).toEqual([...QUEUE_NAMES]);
    expect(parseEnv({ ...base, WORKER_QUEUES: ' registrations, metrics ' }).WORKER_QUEUES).toEqual(['registrations', 'metrics']);
    expect(() => parseEnv({ ...base, WORKER_QUEUES: 'metrics,emails' })).toThrow(/WORKER_QUEUES: must list queues among default, mail/);
    expect(() => parseEnv({ ...base, WORKER_QUEUES: ',' })).toThrow(/WORKER_QUEUES/);
  });
});
