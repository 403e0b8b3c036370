import { z } from 'zod';
import { db } from '../../db/client.js';
import { DEMO_SUBDOMAIN } from '../../commands/demoSeeder.js';
import { streamDemoRegistrations } from '../../registrations/demoSeeder.js';
import { Task } from '../Task.js';

const StreamDemoRegistrationsSchema = z.object({});

/**
 * Every two minutes, a few new registrations for the demo org (issue 8), through the ordinary
 * intake so that follow-ups, metrics and the Registrations page move. Only the org of the demo
 * subdomain whose stream the demo seeder switched on; any other org is never touched.
 */
class StreamDemoRegistrationsTask extends Task<typeof StreamDemoRegistrationsSchema> {
  readonly name = 'stream-demo-registrations';
  readonly schema = StreamDemoRegistrationsSchema;
  override readonly queue = 'metrics' as const;
  override readonly repeat = { every: 120_000 };
  override readonly options = { attempts: 1, removeOnComplete: true };

  async perform() {
    const org = await db().org.findUnique({ where: { subdomain: DEMO_SUBDOMAIN }, select: { id: true, isActive: true } });
    if (!org?.isActive) return { created: 0 };
    return { created: await streamDemoRegistrations(org.id) };
  }
}

export const streamDemoRegistrationsTask = new StreamDemoRegistrationsTask();
