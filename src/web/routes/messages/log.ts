import type { Request, Response } from 'express';
import type { Prisma } from '../../../generated/prisma/client.js';
import { paginate } from '../../../lib/pagination.js';
import { presentContact } from '../../../presenters/contact.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { loadContact } from '../contacts/load.js';
import { loadLogNames, LOGGED_MESSAGE_INCLUDE, presentMessage, type LoggedMessage } from './present.js';
import type { MessagesIndexInput } from './schema.js';

/** One page of messages, newest first, presented for the log. */
async function messagePage(req: Request, where: Prisma.MessageWhereInput, page: number) {
  const scoped = orgDb(req.org!.id).message;
  const total = await scoped.count({ where });
  const pager = paginate(page, total);
  const messages = (await scoped.findMany({
    where,
    include: LOGGED_MESSAGE_INCLUDE,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: pager.skip,
    take: pager.take,
  })) as LoggedMessage[];
  const names = await loadLogNames(req.org!.id, messages);
  return { messages: messages.map((m) => presentMessage(m, names, req.t)), pager: { ...pager, total } };
}

/** GET /messages: the message log (spec §16.2): messages of "All regions" or of the data regions. */
export async function index(req: Request, res: Response) {
  const { page } = req.input as MessagesIndexInput;
  const regions = req.regions!.dataRegionIds;
  const where: Prisma.MessageWhereInput = regions ? { OR: [{ regionId: null }, { regionId: { in: [...regions] } }] } : {};
  res.render('pages/messages/index.njk', await messagePage(req, where, page));
}

/** GET /contacts/:id/messages: the messages a contact received (spec §16.2), for a contact the user may open. */
export async function contactMessages(req: Request, res: Response) {
  const { page } = req.input as MessagesIndexInput;
  const contact = await loadContact(req);
  const listed = await messagePage(req, { recipients: { some: { contactId: contact.id } } }, page);
  res.render('pages/messages/contact.njk', { contact: presentContact(contact, req.language), ...listed });
}
