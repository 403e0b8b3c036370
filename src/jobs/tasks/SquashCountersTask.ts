import { z } from 'zod';
import { squashCounterDeltas } from '../../db/counters.js';
import { Task } from '../Task.js';

const SquashSchema = z.object({});
const BATCH = 50_000;
/** A busy minute can leave more deltas than one batch; later ticks catch up, so one tick stays short. */
const MAX_BATCHES = 20;

/** Every minute, folds counter delta rows into the keyed counters (as U-Report squashes its counts). */
class SquashCountersTask extends Task<typeof SquashSchema> {
  readonly name = 'squash-counters';
  readonly schema = SquashSchema;
  override readonly queue = 'sync' as const;
  override readonly repeat = { every: 60_000 };
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

  async perform() {
    let folded = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const moved = await squashCounterDeltas(BATCH);
      folded += moved;
      if (moved < BATCH) break;
    }
    return { folded };
  }
}

export const squashCountersTask = new SquashCountersTask();
