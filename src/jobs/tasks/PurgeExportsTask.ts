import { z } from 'zod';
import { purgeExpiredExports } from '../../db/exports.js';
import { Task } from '../Task.js';

/** Every hour, deletes the export files (and their pieces) whose 24 hours are over. */
class PurgeExportsTask extends Task<z.ZodObject> {
  readonly name = 'purge-exports';
  readonly schema = z.object({});
  override readonly repeat = { pattern: '41 * * * *' };
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

  async perform() {
    return { exports: await purgeExpiredExports() };
  }
}

export const purgeExportsTask = new PurgeExportsTask();
