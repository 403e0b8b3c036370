import { z } from 'zod';
import { db } from '../../db/client.js';
import { Task } from '../Task.js';

const OUTBOX_RETENTION_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** Daily clean-up of used or expired password-reset tokens and old outbox mail. */
class PurgeExpiredTask extends Task<z.ZodObject> {
  readonly name = 'purge-expired';
  readonly schema = z.object({});
  override readonly repeat = { pattern: '17 3 * * *' };

  async perform() {
    const now = new Date();
    const resets = await db().passwordReset.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { usedAt: { not: null } }] } });
    const mails = await db().outboxMail.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - OUTBOX_RETENTION_DAYS * DAY_MS) } } });
    return { passwordResets: resets.count, outboxMails: mails.count };
  }
}

export const purgeExpiredTask = new PurgeExpiredTask();
