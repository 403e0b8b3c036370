import { Router, type Request, type Response } from 'express';
import { pingDatabase } from '../../../db/health.js';
import { redis } from '../../../db/redis.js';
import { access } from '../../access.js';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))]);
}

async function check(run: () => Promise<unknown>): Promise<'ok' | string> {
  try {
    await withTimeout(run());
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : 'error';
  }
}

/** GET /healthz: 200 when Postgres and Redis answer, 503 otherwise, with each one's state. */
async function healthz(_req: Request, res: Response) {
  const [postgres, redisState] = await Promise.all([check(pingDatabase), check(() => redis().ping())]);
  const ok = postgres === 'ok' && redisState === 'ok';
  res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', postgres, redis: redisState });
}

/** GET /logo: the org's logo (members only; the layout shows it in the navigation). */
async function logo(req: Request, res: Response) {
  if (!req.org?.logo) return res.status(404).end();
  res.setHeader('Cache-Control', 'private, max-age=300');
  res.type(req.org.logoMimeType ?? 'image/png').send(Buffer.from(req.org.logo));
}

/** Health and org assets, on every host. */
export const systemRouter = Router()
  .get('/healthz', access.public, healthz)
  .get('/logo', access.member('home:read'), logo);
