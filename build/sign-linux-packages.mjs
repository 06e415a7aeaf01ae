// electron-builder afterAllArtifactBuild hook: signs the Linux packages with the organisation's
// GPG key (WARDLINE_GPG_KEY: its fingerprint or id, in the keyring of GNUPGHOME; a smartcard or
// gpg-agent holding it works the same), so apt/dnf-based distribution can check where they come from.
// - .deb: a debsigs origin signature, the `_gpgorigin` member (a detached OpenPGP signature over
//   debian-binary, control.tar.* and data.tar.*, in that order), which debsig-verify checks. The
//   package stays a normal .deb. (apt itself checks the repository's signed Release file: sign the
//   repository with the same key, see docs/OPERATIONS.md.)
// - .rpm: rpmsign --addsign (the rpm header signature dnf/yum check with gpgcheck=1); needs rpm's
//   rpmsign on the build machine.
// - AppImage: no signature the platform checks; it is not signed (use deb or rpm for managed fleets).
// Packaging refuses to finish with an unsigned deb or rpm, as it does for Windows and macOS.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const AR_MAGIC = '!<arch>\n';
const ORIGIN = '_gpgorigin';

/** The members of an ar archive (a .deb), in order: { name, data }. */
export function readArMembers(bytes) {
  if (bytes.subarray(0, 8).toString('latin1') !== AR_MAGIC) throw new Error('not an ar archive (a .deb is one)');
  const members = [];
  let at = 8;
  while (at + 60 <= bytes.length) {
    const header = bytes.subarray(at, at + 60).toString('latin1');
    const name = header.slice(0, 16).trim().replace(/\/$/, '');
    const size = Number.parseInt(header.slice(48, 58).trim(), 10);
    if (!Number.isSafeInteger(size) || header.slice(58, 60) !== '`\n') throw new Error('a damaged ar member header');
    members.push({ name, data: bytes.subarray(at + 60, at + 60 + size) });
    at += 60 + size + (size % 2);
  }
  return members;
}

function arMember(name, data) {
  const field = (value, width) => String(value).padEnd(width, ' ').slice(0, width);
  const header = `${field(name, 16)}${field(Math.floor(Date.now() / 1000), 12)}${field(0, 6)}${field(0, 6)}${field(100644, 8)}${field(data.length, 10)}\`\n`;
  return Buffer.concat([Buffer.from(header, 'latin1'), data, data.length % 2 === 1 ? Buffer.from('\n') : Buffer.alloc(0)]);
}

/** What a debsigs origin signature covers: debian-binary, control.tar.*, data.tar.*. */
export function debSignedContent(members) {
  const pick = (test, what) => {
    const member = members.find((m) => test(m.name));
    if (member === undefined) throw new Error(`the .deb has no ${what} member`);
    return member.data;
  };
  return Buffer.concat([
    pick((n) => n === 'debian-binary', 'debian-binary'),
    pick((n) => n.startsWith('control.tar'), 'control.tar.*'),
    pick((n) => n.startsWith('data.tar'), 'data.tar.*'),
  ]);
}

function gpg(args, env, input) {
  const run = spawnSync('gpg', ['--batch', '--yes', ...args], { env, input, encoding: 'buffer' });
  if (run.error !== undefined) throw new Error(`gpg is needed to sign the Linux packages (${run.error.message}).`);
  return run;
}

/** Adds (or replaces) the _gpgorigin signature of a .deb, signed with `key`. */
export function signDeb(file, key, env = process.env) {
  const members = readArMembers(readFileSync(file)).filter((m) => m.name !== ORIGIN);
  const work = mkdtempSync(path.join(os.tmpdir(), 'wardline-debsig-'));
  try {
    const content = path.join(work, 'content');
    const signature = path.join(work, ORIGIN);
    writeFileSync(content, debSignedContent(members));
    const run = gpg(['--local-user', key, '--detach-sign', '--output', signature, content], env);
    if (run.status !== 0)
      throw new Error(`gpg could not sign ${path.basename(file)} with ${key}: ${run.stderr.toString('utf8').trim().split('\n').pop()}`);
    const signed = Buffer.concat([
      Buffer.from(AR_MAGIC, 'latin1'),
      ...members.map((m) => arMember(m.name, m.data)),
      arMember(ORIGIN, readFileSync(signature)),
    ]);
    writeFileSync(file, signed);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether a .deb's origin signature holds, by a key in the keyring of env.GNUPGHOME. */
export function verifyDeb(file, env = process.env) {
  const members = readArMembers(readFileSync(file));
  const origin = members.find((m) => m.name === ORIGIN);
  if (origin === undefined) return false;
  const work = mkdtempSync(path.join(os.tmpdir(), 'wardline-debsig-'));
  try {
    writeFileSync(path.join(work, 'content'), debSignedContent(members));
    writeFileSync(path.join(work, ORIGIN), origin.data);
    return gpg(['--verify', path.join(work, ORIGIN), path.join(work, 'content')], env).status === 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Signs an .rpm in place with rpmsign. */
export function signRpm(file, key, env = process.env) {
  const run = spawnSync('rpmsign', ['--addsign', '--define', `_gpg_name ${key}`, file], { env, encoding: 'utf8' });
  if (run.error !== undefined)
    throw new Error(`rpmsign (from rpm) is needed to sign ${path.basename(file)}; install it on the build machine (${run.error.message}).`);
  if (run.status !== 0) throw new Error(`rpmsign could not sign ${path.basename(file)}: ${(run.stderr || '').trim().split('\n').pop()}`);
}

/** The hook: signs every .deb and .rpm electron-builder made. Returns no extra artifacts. */
export async function afterAllArtifactBuild(buildResult, env = process.env) {
  const packages = buildResult.artifactPaths.filter((file) => /\.(deb|rpm)$/.test(file));
  if (packages.length === 0) return [];
  const key = env.WARDLINE_GPG_KEY;
  if (key === undefined || key.trim() === '') {
    throw new Error(
      `WARDLINE_GPG_KEY is not set: give the fingerprint of the organisation's package signing key (in GNUPGHOME's keyring). ${packages.map((f) => path.basename(f)).join(', ')} would ship unsigned.`,
    );
  }
  for (const file of packages) {
    if (file.endsWith('.deb')) signDeb(file, key, env);
    else signRpm(file, key, env);
  }
  return [];
}

export default afterAllArtifactBuild;
