import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import multer from 'multer';
import { configurePassport } from '../auth/passport.js';
import { env } from '../env.js';
import { initI18n } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { csrfProtection } from './middleware/csrf.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { flash } from './middleware/flash.js';
import { forcePasswordChange } from './middleware/forcePasswordChange.js';
import { loadOrg, refuseUnknownOrg } from './middleware/loadOrg.js';
import { locale } from './middleware/locale.js';
import { requestLogging } from './middleware/requestLogging.js';
import { sessions } from './middleware/session.js';
import { dataFreshness } from './middleware/dataFreshness.js';
import { regionContext } from './middleware/regionContext.js';
import { templateLocals } from './middleware/templateLocals.js';
import { authRouter } from './routes/auth/router.js';
import { chooserRouter, homeRouter } from './routes/home/router.js';
import { manageRouter } from './routes/manage/router.js';
import { profileRouter } from './routes/profile/router.js';
import { systemRouter } from './routes/system/router.js';
import { usersRouter } from './routes/users/router.js';
import { contactsRouter } from './routes/contacts/router.js';
import { orgRouter } from './routes/org/router.js';
import { regionsRouter } from './routes/regions/router.js';
import { apiBodyErrors } from './routes/api/errors.js';
import { apiV1Router, tokenApiRouter } from './routes/api/router.js';
import { registrationsRouter } from './routes/registrations/router.js';
import { sourcesRouter } from './routes/registrations/sources.js';
import { pollsRouter } from './routes/polls/router.js';
import { pollRunsRouter } from './routes/pollruns/router.js';
import { boundariesRouter } from './routes/boundaries/router.js';
import { exportsRouter } from './routes/exports/router.js';
import { participationRouter } from './routes/participation/router.js';
import { dashboardApiRouter } from './routes/dashboardApi/router.js';
import { indicatorsRouter } from './routes/indicators/router.js';
import { pollQuestionsRouter } from './routes/indicators/questionsApi.js';
import { messagesRouter } from './routes/messages/router.js';
import { inboxRouter } from './routes/inbox/router.js';
import { configureViews } from './views.js';

const staticDir = fileURLToPath(new URL('../../static', import.meta.url));
const UPLOAD_LIMITS = { fileSize: 2 * 1024 * 1024, files: 1, fields: 200 };

/** The routers, by host: some serve every host, some only the base host, some only org hosts. */
export function routers() {
  return {
    everyHost: [systemRouter, authRouter, profileRouter],
    baseHost: [chooserRouter, manageRouter()],
    orgHost: [homeRouter, usersRouter, regionsRouter, orgRouter, contactsRouter, apiV1Router, registrationsRouter, sourcesRouter, pollsRouter, pollRunsRouter, dashboardApiRouter, indicatorsRouter, pollQuestionsRouter, participationRouter, exportsRouter, boundariesRouter, messagesRouter, inboxRouter],
  };
}

function byHost(base: Router[], org: Router[]) {
  const baseRouter = Router().use(...base);
  const orgRouter = Router().use(...org);
  return (req: Request, res: Response, next: NextFunction) => (req.org ? orgRouter : baseRouter)(req, res, next);
}

/**
 * Builds the express app: global middleware in order, then the routers, then 404 and errors.
 * @param logger the process logger.
 * @returns the app.
 */
export function createApp(logger: Logger): Express {
  const config = env();
  initI18n();
  const passport = configurePassport();
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  configureViews(app);
  const { everyHost, baseHost, orgHost } = routers();

  app.use(requestLogging(logger));
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Recorded answers play from RapidPro's storage (the responses tab, spec §17.8).
        mediaSrc: ["'self'", 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", `*.${config.baseHostname}`, config.baseHostname],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
  }));
  app.use('/static', express.static(staticDir, { maxAge: config.NODE_ENV === 'production' ? '7d' : 0 }));
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  app.use(express.json({ limit: '1mb' }));
  app.use('/api/v1', apiBodyErrors());
  // Source-token API calls need none of the page middleware below, which costs more than intake itself.
  app.use(tokenApiRouter);
  app.use(multer({ storage: multer.memoryStorage(), limits: UPLOAD_LIMITS }).any());
  app.use(cookieParser());
  app.use(sessions());
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(flash());
  app.use(loadOrg());
  app.use(locale());
  app.use(csrfProtection());
  app.use(forcePasswordChange());
  app.use(templateLocals());
  app.use(regionContext());
  app.use(dataFreshness());
  app.use(refuseUnknownOrg());
  app.use(...everyHost);
  app.use(byHost(baseHost, orgHost));
  app.use(notFound());
  app.use(errorHandler());
  return app;
}

