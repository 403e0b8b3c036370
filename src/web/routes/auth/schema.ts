import { z } from 'zod';
import { emailField } from '../../forms.js';
import { msg } from '../../../i18n/msg.js';

export const AuthSignInSchema = z.object({
  email: emailField,
  password: z.string().min(1, msg('This field is required.')).max(1024),
  next: z.string().optional(),
});

export const AuthForgotSchema = z.object({ email: emailField });

export const AuthResetSchema = z
  .object({ password: z.string().max(1024), confirm: z.string().max(1024) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: msg('The two passwords differ.') });

export const AuthResetParamsSchema = z.object({ token: z.string().regex(/^[\w-]{20,100}$/) });

export const LanguageSchema = z.object({ language: z.string(), next: z.string().optional() });
