import session from 'express-session';
import RedisStore from 'connect-redis';
import { env } from '../../env.js';
import { redis, redisKey } from '../../db/redis.js';

/**
 * Server-side sessions in Redis, with the cookie on the base host's domain so one sign-in serves
 * every org subdomain (spec D2).
 *
 *   app.use(sessions())
 * @returns the middleware.
 */
export function sessions() {
  const config = env();
  return session({
    name: config.SESSION_COOKIE_NAME,
    secret: config.secretKey,
    store: new RedisStore({ client: redis(), prefix: `${redisKey('sess')}:` }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy !== false,
    cookie: {
      domain: config.baseHostname,
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      maxAge: config.SESSION_MAX_AGE_HOURS * 3600 * 1000,
    },
  });
}
