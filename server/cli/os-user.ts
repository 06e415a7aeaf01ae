// The operating-system account that runs a hub command, for the hub's trail (an export, IT's actions
// on documentation sent back): the hub's command line has no user of its own.
import { userInfo } from 'node:os';

export function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
