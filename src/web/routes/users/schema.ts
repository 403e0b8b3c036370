import { z } from 'zod';
import { emailField, multi, requiredText } from '../../forms.js';
import { msg } from '../../../i18n/msg.js';

const role = z.enum(['admin', 'supervisor', 'viewer'], { error: msg('Choose a role.') });

export const UsersCreateSchema = z.object({ name: requiredText(128), email: emailField, role });
export const UsersUpdateSchema = z.object({ name: requiredText(128), role, regions: multi(z.coerce.number().int().positive()) });
export const UsersIndexSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1).default(1),
  q: z.string().trim().max(100).catch('').default(''),
  inactive: z.enum(['0', '1']).catch('0').default('0'),
});
