import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  machinePolicyPath,
  parseTrustAnchors,
  policyFileLocation,
  readMachinePolicy,
  readTrustAnchors,
  trustFileLocation,
} from './policy-files.js';
import { examplePolicyDraft, testOrganisation } from './test-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-policy-'));
  dirs.push(dir);
  return dir;
}

describe('the machine policy file', () => {
  it('lives in the machine-wide folder of each platform', () => {
    expect(machinePolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Wardline\\policy.json');
    expect(machinePolicyPath('win32', {})).toBe('C:\\ProgramData\\Wardline\\policy.json');
    expect(machinePolicyPath('darwin', {})).toBe('/Library/Application Support/Wardline/policy.json');
    expect(machinePolicyPath('linux', {})).toBe('/etc/wardline/policy.json');
  });

  it('is never taken from the environment by a packaged build', () => {
    const env = { WARDLINE_POLICY: '/tmp/my-own-policy.json' };
    expect(policyFileLocation({ packaged: true, platform: 'linux', env })).toBe('/etc/wardline/policy.json');
    expect(policyFileLocation({ packaged: false, platform: 'linux', env })).toBe('/tmp/my-own-policy.json');
  });

  it("trusts the keys packed into the app's resources, never ones named by the environment in a packaged build", () => {
    const env = { WARDLINE_TRUST: '/tmp/my-keys.json' };
    expect(
      trustFileLocation({ packaged: true, resourcesPath: '/opt/Wardline/resources', appPath: '/opt/Wardline/resources/app.asar', env }),
    ).toBe('/opt/Wardline/resources/wardline-trust.json');
    expect(trustFileLocation({ packaged: false, resourcesPath: '/x', appPath: '/src/wardline', env })).toBe('/tmp/my-keys.json');
    expect(trustFileLocation({ packaged: false, resourcesPath: '/x', appPath: '/src/wardline', env: {} })).toBe(
      '/src/wardline/build/wardline-trust.json',
    );
  });

  it('refuses to start without a policy file, naming where it should be', async () => {
    const org = testOrganisation();
    const file = path.join(tempDir(), 'policy.json');
    await expect(readMachinePolicy(file, [org.trusted])).rejects.toMatchObject({
      code: 'POLICY_MISSING',
      message: expect.stringContaining(file),
    });
  });

  it('reads and verifies the deployed file', async () => {
    const org = testOrganisation();
    const file = path.join(tempDir(), 'policy.json');
    writeFileSync(file, org.sign(examplePolicyDraft()));
    expect((await readMachinePolicy(file, [org.trusted])).ward).toBe('ward-7');
  });

  it('takes its trusted keys from wardline-trust.json, and refuses to trust nothing', async () => {
    const org = testOrganisation();
    const updates = testOrganisation();
    const anchors = parseTrustAnchors(JSON.stringify({ policyKeys: [org.pair.publicKeyPem], updateKeys: [updates.pair.publicKeyPem] }));
    expect(anchors.policyKeys.map((k) => k.keyId)).toEqual([org.pair.keyId]);
    expect(anchors.updateKeys.map((k) => k.keyId)).toEqual([updates.pair.keyId]);
    expect(() => parseTrustAnchors(JSON.stringify({ policyKeys: [] }))).toThrow(expect.objectContaining({ code: 'NO_TRUSTED_KEYS' }));
    await expect(readTrustAnchors(path.join(tempDir(), 'wardline-trust.json'))).rejects.toMatchObject({ code: 'NO_TRUSTED_KEYS' });
  });
});
