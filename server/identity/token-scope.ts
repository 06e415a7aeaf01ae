// SMART Backend Services scopes of a device token: what was asked (the `scope` form field of
// /auth/token) ∩ what a workstation may hold. A token grants no more than was asked: one asked for
// `system/*.read` cannot write. SMART v1 (`system/*.read`, `system/*.write`, `system/*.*`) and v2
// (`system/*.rs`, `system/*.cruds`) wildcard scopes are understood; anything else is ignored.

/** What a workstation may be granted at most. */
export const DEVICE_SCOPES_PERMITTED = 'system/*.read system/*.write';
/** Granted when the request names no scope (RFC 6749 §3.3: the server's documented default). */
export const DEVICE_SCOPES_DEFAULT = DEVICE_SCOPES_PERMITTED;
/** Every scope the token endpoint understands (published in the SMART configuration). */
export const DEVICE_SCOPES_SUPPORTED: readonly string[] = [
  'system/*.read',
  'system/*.write',
  'system/*.*',
  'system/*.rs',
  'system/*.cruds',
];

export interface GrantedScope {
  readonly read: boolean;
  readonly write: boolean;
}

/** The rights one requested scope stands for, or null for a scope the hub does not grant. */
function rightsOf(scope: string): GrantedScope | null {
  switch (scope) {
    case 'system/*.read':
    case 'system/*.rs':
      return { read: true, write: false };
    case 'system/*.write':
      return { read: false, write: true };
    case 'system/*.*':
    case 'system/*.cruds':
      return { read: true, write: true };
    default:
      return null;
  }
}

/** The rights granted for a requested `scope` string (absent: the default), or null when none is. */
export function grantScope(requested: string | undefined): GrantedScope | null {
  const words = (requested ?? DEVICE_SCOPES_DEFAULT).split(/\s+/).filter((word) => word !== '');
  let read = false;
  let write = false;
  for (const word of words) {
    const rights = rightsOf(word);
    read ||= rights?.read ?? false;
    write ||= rights?.write ?? false;
  }
  return read || write ? { read, write } : null;
}

/** The scope string of granted rights, as the token response and the token's `scope` claim carry it. */
export function scopeText(granted: GrantedScope): string {
  return [granted.read ? 'system/*.read' : null, granted.write ? 'system/*.write' : null].filter((s) => s !== null).join(' ');
}

/** The rights of a token's `scope` claim (what the hub itself wrote into it). */
export function scopeOfClaim(claim: unknown): GrantedScope {
  const words = typeof claim === 'string' ? claim.split(' ') : [];
  return { read: words.includes('system/*.read'), write: words.includes('system/*.write') };
}
