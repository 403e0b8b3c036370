import type { TFunction } from 'i18next';
import type { Org, OrgMembership } from '../generated/prisma/client.js';
import type { Actor } from '../policies/index.js';

declare module 'express-session' {
  interface SessionData {
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; message: string }[];
    language?: string;
    csrfReady?: boolean;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The org of the request's subdomain (set by loadOrg), or undefined on the base host. */
      org?: Org;
      /** The signed-in user's membership in req.org, if any. */
      membership?: OrgMembership | null;
      /** Who is acting, for policies. */
      actor?: Actor;
      /** The negotiated UI language and its translator. */
      language: string;
      t: TFunction;
      /** Typed input set by the validate middleware. */
      input?: unknown;
      /** Adds a flash message shown on the next page. */
      flash(type: 'success' | 'info' | 'warning' | 'danger', message: string): void;
    }
  }
}

export {};
