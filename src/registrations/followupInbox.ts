import { redis, redisKey } from '../db/redis.js';

/** The most registrations one follow-up job takes from the inbox. */
export const FOLLOWUP_BATCH = 500;
/** How long a claim outlives a job that gave up (its registrations show `failed` meanwhile). */
const CLAIM_TTL_SECONDS = 7 * 86_400;

const keys = {
  /** Valid registrations of an org waiting for their follow-up, oldest first. */
  inbox: (orgId: number) => redisKey('hm', orgId, 'followups'),
  /** The registrations a job took from the inbox, kept until it has followed them up. */
  claim: (orgId: number, jobId: string) => redisKey('hm', orgId, 'followups', 'claim', jobId),
  /** Pattern matching every claim of an org. */
  claims: (orgId: number) => redisKey('hm', orgId, 'followups', 'claim', '*'),
};

// Moves up to ARGV[1] ids from the inbox to the job's claim, unless the job holds one already
// (a retry, or a job run again after its worker died, resumes its own registrations).
// KEYS: inbox, claim  ARGV: max, ttl
const CLAIM_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  local ids = redis.call('LPOP', KEYS[1], ARGV[1])
  if not ids then return {} end
  redis.call('RPUSH', KEYS[2], unpack(ids))
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return redis.call('LRANGE', KEYS[2], 0, -1)`;

/**
 * The org's follow-up inbox: intake adds valid registrations, follow-up jobs take them in batches.
 * Jobs carry no ids, so the jobs of one slot collapse into one (see jobSlots) and a job follows up
 * every registration that arrived before it ran; each job's claim is disjoint from the others'.
 */
export const followupInbox = {
  /**
   * Adds registrations to the org's inbox (after their insert has committed).
   * @param orgId the org.
   * @param registrationIds the valid registrations.
   */
  async add(orgId: number, registrationIds: string[]): Promise<void> {
    if (registrationIds.length) await redis().rpush(keys.inbox(orgId), ...registrationIds);
  },

  /**
   * Takes up to FOLLOWUP_BATCH registrations for a job, or returns the ones it took before.
   * @param orgId the org.
   * @param jobId the job.
   * @returns the registration ids (none when the inbox is empty).
   */
  async claim(orgId: number, jobId: string): Promise<string[]> {
    return (await redis().eval(CLAIM_SCRIPT, 2, keys.inbox(orgId), keys.claim(orgId, jobId), FOLLOWUP_BATCH, CLAIM_TTL_SECONDS)) as string[];
  },

  /**
   * Drops a job's claim once its registrations are followed up.
   * @param orgId the org.
   * @param jobId the job.
   */
  async release(orgId: number, jobId: string): Promise<void> {
    await redis().del(keys.claim(orgId, jobId));
  },

  /**
   * The registrations among the given ones that are neither in the org's inbox nor in a job's claim:
   * their follow-up was never queued (a crash or a Redis error after their insert committed).
   * Claims are only made from the inbox and read after it, so a registration that left the inbox
   * before the read is in a claim the scan finds, or in one released meanwhile, whose registrations
   * are done (and skipped if queued again).
   * @param orgId the org.
   * @param registrationIds registrations waiting for their follow-up.
   * @returns the ones nothing will follow up.
   */
  async unqueued(orgId: number, registrationIds: string[]): Promise<string[]> {
    if (!registrationIds.length) return [];
    const queued = new Set(await redis().lrange(keys.inbox(orgId), 0, -1));
    let cursor = '0';
    do {
      const [next, claims] = await redis().scan(cursor, 'MATCH', keys.claims(orgId), 'COUNT', 1000);
      for (const claim of claims) for (const id of await redis().lrange(claim, 0, -1)) queued.add(id);
      cursor = next;
    } while (cursor !== '0');
    return registrationIds.filter((id) => !queued.has(id));
  },

  /**
   * How many registrations wait in the org's inbox.
   * @param orgId the org.
   * @returns the count.
   */
  size(orgId: number): Promise<number> {
    return redis().llen(keys.inbox(orgId));
  },
};
