import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts a short secret with AES-256-GCM.
 * @param key 32-byte key.
 * @param plain the secret.
 * @returns "v1.<iv>.<tag>.<ciphertext>" in base64url.
 */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/**
 * Decrypts what seal() produced.
 * @param key the same 32-byte key.
 * @param sealed the sealed text.
 * @returns the secret.
 * @throws Error when the text was not sealed with this key.
 */
export function open(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * Masks a token for display: everything but the last four characters becomes "*".
 * @param token the token.
 * @returns the masked token.
 */
export function maskToken(token: string): string {
  return '*'.repeat(Math.max(0, token.length - 4)) + token.slice(-4);
}
