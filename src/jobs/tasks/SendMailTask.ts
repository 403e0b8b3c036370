import { z } from 'zod';
import { deliverMail } from '../../mail/mailer.js';
import { Task } from '../Task.js';

const SendMailSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(300),
  text: z.string().min(1),
  html: z.string().optional(),
});

/** Sends one rendered e-mail, so a slow SMTP server never holds up a web request. */
class SendMailTask extends Task<typeof SendMailSchema> {
  readonly name = 'send-mail';
  readonly schema = SendMailSchema;
  override readonly queue = 'mail' as const;
  override readonly options = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } };

  perform(message: z.infer<typeof SendMailSchema>) {
    return deliverMail(message);
  }
}

export const sendMailTask = new SendMailTask();
