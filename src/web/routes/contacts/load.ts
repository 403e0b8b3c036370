import type { Request } from 'express';
import { NotFoundError } from '../../../errors.js';
import { contactRegionFilter } from '../../../regions/context.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam } from '../../forms.js';

/** What pages show of a contact besides its own columns. */
export const CONTACT_INCLUDE = {
  region: { select: { id: true, name: true } },
  reporterGroups: { include: { reporterGroup: { select: { id: true, name: true } } } },
} as const;

/**
 * Loads the active contact of `:id` if the user may open it (spec §5.4: its region is one of the
 * user's); else 404.
 * @param req the request.
 * @returns the contact with its region and reporter groups.
 */
export async function loadContact(req: Request) {
  const id = idParam(req.params);
  const contact = await orgDb(req.org!.id).contact.findFirst({
    where: { id, isActive: true, ...contactRegionFilter(req.regions!, 'access') },
    include: CONTACT_INCLUDE,
  });
  if (!contact) throw new NotFoundError();
  return contact;
}
