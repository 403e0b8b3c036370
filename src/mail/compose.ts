import { translator } from '../i18n/index.js';
import { sendMailTask } from '../jobs/tasks/SendMailTask.js';
import { configureViews } from '../web/views.js';

const views = configureViews();

/**
 * Renders views/emails/<template>.njk in the recipient's language and queues it for delivery.
 * The template's first line is "Subject: …"; the rest is the plain-text body.
 * @param template the e-mail template name.
 * @param to the recipient.
 * @param language the recipient's language.
 * @param context template variables.
 * @returns the job id.
 */
export async function queueMail(template: string, to: string, language: string, context: Record<string, unknown>) {
  const rendered = views.render(`emails/${template}.njk`, { ...context, t: translator(language) });
  const [first = '', ...rest] = rendered.trimStart().split('\n');
  const subject = first.replace(/^Subject:\s*/, '').trim();
  return sendMailTask.schedule({ to, subject, text: rest.join('\n').trim() + '\n' });
}
