// Where a workstation keeps its data: `--data DIR`, else WARDLINE_DATA, else the OS's per-user
// application data folder (the same folder Electron's app.getPath('userData') names).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_FOLDER_NAME = 'Wardline';

/** The OS's per-user application data folder for Wardline. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_FOLDER_NAME);
  }
}

/** The data directory to use: an explicit flag wins over WARDLINE_DATA, which wins over the default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  if (env.WARDLINE_DATA) return resolve(env.WARDLINE_DATA);
  return defaultDataDir(env);
}
