import type { Request } from 'express';
import { msg } from '../i18n/msg.js';

const LOGO_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const LOGO_MAX_BYTES = 1024 * 1024;

/**
 * Reads an org logo from a multipart form: a new image, "remove the logo", or nothing.
 * @param req the request (files parsed by the global multer middleware).
 * @returns the logo to store (null removes it, undefined keeps it), or an error key for a bad file.
 */
export function uploadedLogo(req: Request): { logo?: { bytes: Buffer; mimeType: string } | null; error?: string } {
  const files = (req.files as Express.Multer.File[] | undefined) ?? [];
  const file = files.find((f) => f.fieldname === 'logo');
  if ((req.body as Record<string, unknown>).removeLogo === 'on') return { logo: null };
  if (!file || file.size === 0) return {};
  if (!LOGO_TYPES.has(file.mimetype)) return { error: msg('Upload a PNG, JPEG, GIF or WebP image.') };
  if (file.size > LOGO_MAX_BYTES) return { error: msg('The logo must be under 1 MB.') };
  return { logo: { bytes: file.buffer, mimeType: file.mimetype } };
}
