import { z } from 'zod';
import { emailField, requiredText } from '../../forms.js';

export const ProfileUpdateSchema = z
  .object({
    name: requiredText(128),
    email: emailField,
    language: z.enum(['', 'en', 'fr', 'es', 'fa', 'ps']).default(''),
    currentPassword: z.string().max(1024).default(''),
    newPassword: z.string().max(1024).default(''),
    confirm: z.string().max(1024).default(''),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' });
export type ProfileUpdate = z.infer<typeof ProfileUpdateSchema>;
