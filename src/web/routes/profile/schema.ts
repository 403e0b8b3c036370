import { z } from 'zod';
import { emailField, requiredText } from '../../forms.js';
import { msg } from '../../../i18n/msg.js';

export const ProfileUpdateSchema = z
  .object({
    name: requiredText(128),
    email: emailField,
    language: z.enum(['', 'en', 'fr', 'es', 'fa', 'ps']).default(''),
    currentPassword: z.string().max(1024).default(''),
    newPassword: z.string().max(1024).default(''),
    confirm: z.string().max(1024).default(''),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: msg('The two passwords differ.') });
export type ProfileUpdate = z.infer<typeof ProfileUpdateSchema>;
