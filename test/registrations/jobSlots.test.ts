import { describe, expect, it } from 'vitest';
import { SLOT_MS, slotJob } from '../../src/registrations/jobSlots.js';

describe('slot jobs', () => {
  it('share one job per kind, org and slot, and start the metrics half a slot after the follow-ups', () => {
    const start = 1_000_000 * SLOT_MS;
    expect(slotJob('followup', 7, start + 10)).toEqual({ jobId: `followup-7-1000000`, delay: SLOT_MS - 10 });
    expect(slotJob('followup', 7, start + SLOT_MS - 1).jobId).toBe('followup-7-1000000');
    expect(slotJob('followup', 8, start + 10).jobId).toBe('followup-8-1000000');
    // The metrics slot ends half a slot later: an ask just before the follow-up's end waits half a slot more.
    expect(slotJob('apply', 7, start + 10)).toEqual({ jobId: 'apply-7-999999', delay: SLOT_MS / 2 - 10 });
    expect(slotJob('apply', 7, start + SLOT_MS / 2 + 1)).toEqual({ jobId: 'apply-7-1000000', delay: SLOT_MS - 1 });
    for (let t = start; t < start + 2 * SLOT_MS; t += 37) {
      for (const kind of ['followup', 'apply']) expect(slotJob(kind, 7, t).delay).toBeGreaterThan(0);
    }
  });
});
