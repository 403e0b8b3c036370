import nodemailer, { type Transporter } from 'nodemailer';
import { db } from '../db/client.js';
import { env } from '../env.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

let transport: Transporter | undefined;

/**
 * Delivers a message: over SMTP when MAIL_URL is an smtp URL, otherwise into the Postgres outbox
 * that superusers read at /manage/outbox (development and tests).
 * @param message the rendered message.
 * @returns where it went.
 */
export async function deliverMail(message: MailMessage): Promise<{ via: 'smtp' | 'outbox'; id: string | number }> {
  const { mailUrl, mailFrom } = env();
  if (mailUrl === 'outbox') {
    const row = await db().outboxMail.create({ data: { ...message, html: message.html ?? null, from: mailFrom } });
    return { via: 'outbox', id: row.id };
  }
  transport ??= nodemailer.createTransport(mailUrl);
  const info = await transport.sendMail({ from: mailFrom, ...message });
  return { via: 'smtp', id: info.messageId };
}
