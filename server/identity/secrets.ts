// Random bearer secrets (enrollment and refresh tokens) and how they are stored: only their
// SHA-256, so a copy of the hub database does not hold a usable token.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A new opaque id (users, devices, token families). */
export function newId(): string {
  return randomUUID();
}
