import { db } from '../db/client.js';
import { latestMessages } from '../db/inbox.js';
import { replyToContact } from '../inbox/replySender.js';
import { logger } from '../logger.js';
import { runSync } from '../sync/runSync.js';
import { SYNCERS } from '../sync/syncers.js';
import { orgDb } from '../tenancy/orgDb.js';
import { sendToParticipants } from './messageSender.js';

const REMINDER = 'Reminder: please answer this week\'s poll. Reply to the last question you received. Thank you!';
const REPLY = 'Thank you for your message. Your head teacher will follow up this week.';

/**
 * Gives the demo org messages and inbox conversations (issue 7): the simulator's inbox is synced,
 * a reminder goes to the non-respondents of the latest poll run (the worker sends it as broadcasts
 * once the demo runs), and the three most recent contacts who wrote in get a reply. Does nothing
 * to an org that already has messages.
 * @param orgId the demo org, connected to the simulator and synced.
 */
export async function seedMessagesDemo(orgId: number): Promise<void> {
  const scoped = orgDb(orgId);
  if (await scoped.message.count()) return;
  const admin = await db().orgMembership.findFirst({ where: { orgId, role: 'admin' }, orderBy: { userId: 'asc' } });
  if (!admin) return;
  await runSync(orgId, SYNCERS.inbox, { force: true });
  const latest = await scoped.pollRun.findFirst({ where: { poll: { isActive: true } }, orderBy: { conductedOn: 'desc' } });
  const reminder = latest
    ? await sendToParticipants(orgId, { pollRunId: latest.id, recipientGroup: 'non_respondents', text: REMINDER, regionId: null, regionIds: null, userId: admin.userId })
    : null;
  const wroteIn = await latestMessages(orgId, { regionIds: null, reporterGroupId: null }, { skip: 0, take: 3 });
  const contacts = await scoped.contact.findMany({ where: { id: { in: wroteIn.rows.map((r) => r.contactId) } }, select: { id: true, uuid: true } });
  let replies = 0;
  for (const contact of contacts) {
    if ((await replyToContact(orgId, { contact, text: REPLY, userId: admin.userId, regionId: null })).ok) replies++;
  }
  logger.info({ orgId, reminder: reminder?.ok ? reminder.recipients : 0, replies }, 'demo messages seeded');
}
