import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { getQueue, QUEUE_NAMES } from '../../../jobs/queues.js';
import { access } from '../../access.js';

const BASE_PATH = '/manage/queues';

/**
 * Bull-board for superusers: every queue, its jobs and failures.
 * @returns a router whose first layer is the superuser guard.
 */
export function queuesRouter(): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BASE_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(getQueue(name))), serverAdapter });
  return Router().use(BASE_PATH, access.superuser, serverAdapter.getRouter() as Router);
}
