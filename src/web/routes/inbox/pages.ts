import type { Request, Response } from 'express';
import { latestMessages, replyStats, REPLY_WINDOW_DAYS } from '../../../db/inbox.js';
import { replyToContact } from '../../../inbox/replySender.js';
import { msg } from '../../../i18n/msg.js';
import { paginate, PAGE_SIZE } from '../../../lib/pagination.js';
import { MESSAGE_TEXT_MAX } from '../../../messages/messageSender.js';
import { presentContact } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { loadContact } from '../contacts/load.js';
import { dataRegionList, regionQuery } from '../messages/context.js';
import { presentConversationMessage, presentLatest, presentReplyStats } from './present.js';
import { InboxReplySchema, type InboxIndexInput, type InboxShowInput } from './schema.js';

type T = (key: string, vars?: object) => string;

/** GET /inbox: each contact's latest message, most recent first, and per region how replies go (spec §16.3). */
export async function index(req: Request, res: Response) {
  const input = req.input as InboxIndexInput;
  const scoped = orgDb(req.org!.id);
  const groups = await scoped.reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } });
  const group = groups.find((g) => g.id === input.group)?.id ?? null;
  const scope = { regionIds: dataRegionList(req), reporterGroupId: group };
  let page = await latestMessages(req.org!.id, scope, { skip: (input.page - 1) * PAGE_SIZE, take: PAGE_SIZE });
  const pager = paginate(input.page, page.total);
  // A page past the end shows the last page.
  if (pager.page !== input.page) page = await latestMessages(req.org!.id, scope, pager);
  // Statistics end when the last inbox sync began (RapidPro's clock), so they match what was read.
  const sync = await scoped.syncState.findFirst({ where: { resource: 'inbox' }, select: { watermark: true } });
  const stats = await replyStats(req.org!.id, scope, sync?.watermark ?? new Date());
  const context = req.regions!;
  res.render('pages/inbox/index.njk', {
    rows: page.rows.map((row) => presentLatest(row, req.t)),
    pager: { ...pager, total: page.total },
    query: [regionQuery(req), group ? `group=${group}` : ''].filter(Boolean).map((q) => `${q}&`).join(''),
    stats: presentReplyStats(stats, context.tree, req.t as T),
    windowDays: REPLY_WINDOW_DAYS,
    groups,
    group,
    regionOptions: context.tree.map((r) => ({ value: r.id, label: r.name })),
    region: context.current?.id ?? null,
    canPickAll: context.canPickAll,
  });
}

async function renderConversation(req: Request, res: Response, contact: Awaited<ReturnType<typeof loadContact>>, form: { values: { text: string }; errors: Record<string, string> }, status = 200) {
  const { page } = (req.input as InboxShowInput | undefined) ?? { page: 1 };
  const scoped = orgDb(req.org!.id).inboxMessage;
  const where = { contactId: contact.id, visibility: { not: 'deleted' } };
  const total = await scoped.count({ where });
  const pager = paginate(page, total);
  const messages = await scoped.findMany({ where, orderBy: [{ createdOn: 'desc' }, { id: 'desc' }], skip: pager.skip, take: pager.take });
  res.status(status).render('pages/inbox/show.njk', {
    contact: presentContact(contact, req.language),
    messages: messages.map((m) => presentConversationMessage(m, req.t)),
    pager: { ...pager, total },
    maxLength: MESSAGE_TEXT_MAX,
    ...form,
  });
}

/** GET /inbox/:id: the contact's messages, newest first, and the reply form (spec §16.3); 404 outside the user's regions. */
export async function show(req: Request, res: Response) {
  await renderConversation(req, res, await loadContact(req), { values: { text: '' }, errors: {} });
}

const REPLY_FAILURES = {
  'not-connected': msg('This organization is not connected to RapidPro yet.'),
  refused: msg('RapidPro refused the reply: {{detail}}'),
  'unknown-outcome': msg('RapidPro did not answer, so the reply may or may not have been sent. Check the conversation in a minute before sending it again.'),
} as const;

/** POST /inbox/:id: sends the reply, syncs the inbox, and goes back to the conversation. */
export async function reply(req: Request, res: Response) {
  const contact = await loadContact(req);
  const { data, errors } = parseForm(InboxReplySchema, req.body);
  if (!data) {
    const text = String((req.body as Record<string, unknown> | undefined)?.text ?? '');
    return renderConversation(req, res, contact, { values: { text }, errors: translateErrors(errors, req.t) }, 400);
  }
  const outcome = await replyToContact(req.org!.id, {
    contact: { id: contact.id, uuid: contact.uuid },
    text: data.text,
    userId: req.user!.id,
    regionId: req.regions!.current?.id ?? null,
  });
  if (outcome.ok) req.flash('success', req.t('Reply sent.'));
  else req.flash(outcome.reason === 'unknown-outcome' ? 'warning' : 'danger', req.t(REPLY_FAILURES[outcome.reason], { detail: outcome.detail }));
  res.redirect(303, `/inbox/${contact.id}`);
}
