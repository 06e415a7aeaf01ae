import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  enrollmentTokenLocation,
  machineEnrollmentTokenPath,
  readEnrollmentToken,
  removeEnrollmentToken,
} from './enrollment-token-file.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the one-time enrollment token IT stages', () => {
  it('lives in the machine folder, in an enrollment folder of its own, on each platform', () => {
    expect(machineEnrollmentTokenPath('linux', {})).toBe('/etc/wardline/enrollment/token');
    expect(machineEnrollmentTokenPath('darwin', {})).toBe('/Library/Application Support/Wardline/enrollment/token');
    expect(machineEnrollmentTokenPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Wardline\\enrollment\\token');
    expect(machineEnrollmentTokenPath('win32', {})).toBe('C:\\ProgramData\\Wardline\\enrollment\\token');
  });

  it('may be pointed elsewhere by WARDLINE_ENROLLMENT_TOKEN in a development build only', () => {
    const env = { WARDLINE_ENROLLMENT_TOKEN: '/tmp/test-token' };
    expect(enrollmentTokenLocation({ packaged: false, platform: 'linux', env })).toBe('/tmp/test-token');
    expect(enrollmentTokenLocation({ packaged: true, platform: 'linux', env })).toBe('/etc/wardline/enrollment/token');
  });

  it('is read trimmed, is absent without a file, refuses a file far too large, and is deleted once spent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-token-'));
    const file = join(dir, 'token');
    expect(await readEnrollmentToken(file)).toBeNull();
    writeFileSync(file, '  abc-123\r\n');
    expect(await readEnrollmentToken(file)).toBe('abc-123');
    expect(await removeEnrollmentToken(file)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(await removeEnrollmentToken(file)).toBe(true);
    writeFileSync(file, 'x'.repeat(10_000));
    await expect(readEnrollmentToken(file)).rejects.toMatchObject({ code: 'ENROLLMENT_TOKEN_UNREADABLE' });
  });
});
