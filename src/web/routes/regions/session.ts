import type { Request, Response } from 'express';
import { z } from 'zod';
import { HttpError } from '../../../errors.js';
import { safeNext } from '../../../lib/safeNext.js';
import { storeRegionChoice } from '../../middleware/regionContext.js';

export const SessionRegionSchema = z.object({ region: z.union([z.literal('all'), z.coerce.number().int().positive()]), next: z.string().optional() });
export const SessionSubregionsSchema = z.object({ value: z.enum(['0', '1']), next: z.string().optional() });

/** POST /session/region: picks a region of the user's, or "all" when allowed (spec §5.2). */
export function setRegion(req: Request, res: Response) {
  const parsed = SessionRegionSchema.safeParse(req.body);
  const context = req.regions!;
  if (!parsed.success) throw new HttpError(400, req.t('Choose a region.'));
  const { region } = parsed.data;
  if (region === 'all' ? !context.canPickAll : !context.tree.some((r) => r.id === region)) throw new HttpError(400, req.t('You cannot pick this region.'));
  storeRegionChoice(req, { region });
  const name = region === 'all' ? req.t('All regions') : context.tree.find((r) => r.id === region)!.name;
  req.flash('info', req.t('Now showing data from {{region}}.', { region: name }));
  res.redirect(303, safeNext(parsed.data.next));
}

/** POST /session/include-subregions: value 1 or 0. */
export function setSubregions(req: Request, res: Response) {
  const parsed = SessionSubregionsSchema.safeParse(req.body);
  if (!parsed.success) throw new HttpError(400, req.t('Choose whether to include sub-regions.'));
  const include = parsed.data.value === '1';
  storeRegionChoice(req, { includeSubregions: include });
  req.flash('info', include ? req.t('Now including sub-regions.') : req.t('Now showing the region without its sub-regions.'));
  res.redirect(303, safeNext(parsed.data.next));
}
