/**
 * How long intake's triggers for one org gather into one job. Every intake batch asks for the
 * job of the current slot; the first ask queues it to run at the slot's end and the others find it
 * queued, so the workers see about one job per slot however many batches arrive. (Shorter slots cost
 * more per registration: at 100 ms the jobs' fixed work cut intake capacity by a quarter.)
 */
export const SLOT_MS = 1000;

/**
 * Where in the slot each kind's slots end, as a fraction of SLOT_MS. The follow-up and metrics jobs
 * of a slot start half a slot apart: started together, right after each second, their bursts of
 * Postgres work stalled the intake beside them (the slowest requests of a paced run clustered in
 * the first 60 ms of each second).
 */
const PHASES: Record<string, number> = { followup: 0, apply: 0.5, 'apply-busy': 0.5 };

/** BullMQ options of a slot's job. */
export interface SlotJobOptions {
  /** Shared by every ask within the slot, so that BullMQ keeps one job. */
  jobId: string;
  /** Until the slot's end. */
  delay: number;
}

/**
 * The job id and delay of the current slot's job of a kind for an org. The job runs once the slot
 * is over, so whatever was stored before an ask within the slot is there when it runs (and an ask
 * never finds its job already running, past what it brings).
 * @param kind what the job does (part of its id).
 * @param orgId the org.
 * @param now the current time in epoch milliseconds.
 * @returns the options.
 */
export function slotJob(kind: string, orgId: number, now = Date.now()): SlotJobOptions {
  const phase = (PHASES[kind] ?? 0) * SLOT_MS;
  const slot = Math.floor((now - phase) / SLOT_MS);
  return { jobId: `${kind}-${orgId}-${slot}`, delay: (slot + 1) * SLOT_MS + phase - now };
}

// The last slot this process has queued, per kind and org.
const queued = new Map<string, string>();

/**
 * Queues the current slot's job of a kind for an org, unless this process has already queued it:
 * later asks within the slot cost nothing (not even a round trip to Redis).
 * @param kind what the job does.
 * @param orgId the org.
 * @param schedule queues the job with the given options (the task's schedule).
 */
export async function scheduleSlotJob(kind: string, orgId: number, schedule: (options: SlotJobOptions) => Promise<unknown>): Promise<void> {
  const options = slotJob(kind, orgId);
  const key = `${kind}-${orgId}`;
  if (queued.get(key) === options.jobId) return;
  await schedule(options);
  queued.set(key, options.jobId);
}
