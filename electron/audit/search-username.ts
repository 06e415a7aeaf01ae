// The username a failed sign-in tried, as the audit view searches it: normalised the way sign-in
// normalises what is typed (one rule, from the sessions room), so "Nina " and "nina" are one username.
import { normalizeUsername } from '../session/index.js';

/** The normalised username a failed sign-in's body tried, or null (any other entry, or none kept). */
export function searchUsernameTried(body: { readonly action: string; readonly detail?: unknown }): string | null {
  if (body.action !== 'sign-in-failed' || typeof body.detail !== 'object' || body.detail === null) return null;
  const tried = (body.detail as { username?: unknown }).username;
  return typeof tried === 'string' ? normalizeUsername(tried) : null;
}
