// electron-builder's custom Windows sign hook (win.signtoolOptions.sign): every file electron-builder
// signs (the app's .exe, the NSIS and MSI installers, the uninstaller) goes to a signing command the
// organisation configures, so a certificate held in an HSM, a cloud key vault or a signing service
// works, not only an exportable .pfx:
//   WARDLINE_WIN_SIGN_COMMAND      a JSON array: the program and its arguments, run without a shell.
//                                  "{file}" is replaced by the file to sign (appended when absent);
//                                  "{out}", when used, names where the tool writes the signed copy,
//                                  which then replaces the file. E.g.
//                                  ["AzureSignTool","sign","-kvu","https://vault…","-kvc","codesign","-kvm","-tr","http://timestamp.digicert.com","-td","sha256","{file}"]
//                                  ["osslsigncode","sign","-pkcs11module","/usr/lib/…/libykcs11.so","-key","pkcs11:…","-certs","cert.pem","-h","sha256","-t","http://timestamp.digicert.com","-in","{file}","-out","{out}"]
//   WARDLINE_WIN_SIGN_CERTIFICATE  the signing certificate (public part, PEM or DER), checked before
//                                  anything is signed: its subject common name must be one of
//                                  publisherName (win.signtoolOptions in electron-builder.yml, which
//                                  electron-updater checks every update's publisher against), it
//                                  must be valid today and allowed for code signing.
// After the command, a Windows executable must carry an Authenticode signature (its PE certificate
// table is not empty) and any other file must have changed: a command that "succeeds" without
// signing fails the build instead of shipping an unsigned file.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';

const asArray = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The signing command from the environment: { program, args } (args with placeholders). */
export function signCommandFromEnvironment(env = process.env) {
  const raw = env.WARDLINE_WIN_SIGN_COMMAND;
  if (raw === undefined || raw.trim() === '') {
    throw new Error(
      'WARDLINE_WIN_SIGN_COMMAND is not set: give the signing command as a JSON array (see build/windows-sign.mjs). Wardline is never packaged unsigned for Windows.',
    );
  }
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((part) => typeof part === 'string' && part !== '')) {
    throw new Error(
      'WARDLINE_WIN_SIGN_COMMAND must be a JSON array of non-empty strings, the program first: ["signtool", "sign", …, "{file}"].',
    );
  }
  const [program, ...args] = parsed;
  return { program, args };
}

/** The subject common name of a certificate (PEM or DER bytes). */
export function certificateCommonName(certificate) {
  const subject = new X509Certificate(certificate).subject;
  const cn = subject.split('\n').find((part) => part.startsWith('CN='));
  return cn === undefined ? null : cn.slice(3);
}

/**
 * Throws unless the signing certificate's common name is one of publisherName, the certificate is
 * valid at `now`, and it may sign code (extended key usage). Returns the common name.
 */
export function checkPublisher({ publisherName, certificate, now = new Date() }) {
  const names = asArray(publisherName);
  if (names.length === 0) {
    throw new Error(
      "win.signtoolOptions.publisherName is not set in electron-builder.yml: name the signing certificate's common name there.",
    );
  }
  let cert;
  try {
    cert = new X509Certificate(certificate);
  } catch (error) {
    throw new Error(`The signing certificate cannot be read (PEM or DER expected): ${error.message}`);
  }
  const commonName = certificateCommonName(certificate);
  if (commonName === null || !names.includes(commonName)) {
    throw new Error(
      `publisherName ${JSON.stringify(names)} does not name the signing certificate, whose common name is ${JSON.stringify(commonName)}: updates signed with it would be refused by electron-updater. Fix publisherName in electron-builder.yml or use the right certificate.`,
    );
  }
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
    throw new Error(`The signing certificate "${commonName}" is not valid now (valid from ${cert.validFrom} to ${cert.validTo}).`);
  }
  const usages = cert.keyUsage;
  if (!Array.isArray(usages) || !usages.includes(CODE_SIGNING_EKU)) {
    throw new Error(`The certificate "${commonName}" is not a code-signing certificate (its extended key usage lacks codeSigning).`);
  }
  return commonName;
}

/** Whether a Windows PE file (exe, dll) carries an Authenticode signature: a non-empty certificate table. */
export function peIsSigned(bytes) {
  if (bytes.length < 0x40 || bytes.readUInt16LE(0) !== 0x5a4d) return false;
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 24 > bytes.length || bytes.readUInt32LE(pe) !== 0x00004550) return false;
  const optional = pe + 24;
  const magic = bytes.readUInt16LE(optional);
  const directories = optional + (magic === 0x20b ? 112 : magic === 0x10b ? 96 : -1);
  if (directories < optional) return false;
  const certificateTable = directories + 4 * 8;
  if (certificateTable + 8 > bytes.length) return false;
  const offset = bytes.readUInt32LE(certificateTable);
  const size = bytes.readUInt32LE(certificateTable + 4);
  return offset > 0 && size > 8 && offset + size <= bytes.length;
}

const isPortableExecutable = (file) => /\.(exe|dll|node)$/i.test(file);

/** Runs the signing command on one file and checks that it was signed. */
export function signFile(file, env = process.env) {
  const { program, args } = signCommandFromEnvironment(env);
  const out = `${file}.signed${path.extname(file)}`;
  const usesOut = args.some((arg) => arg.includes('{out}'));
  const withFile = args.some((arg) => arg.includes('{file}')) ? args : [...args, '{file}'];
  const finalArgs = withFile.map((arg) => arg.replaceAll('{file}', file).replaceAll('{out}', out));
  const before = readFileSync(file);
  const run = spawnSync(program, finalArgs, { encoding: 'utf8', env: { ...env, WARDLINE_SIGN_FILE: file } });
  if (run.error !== undefined || run.status !== 0) {
    rmSync(out, { force: true });
    const why =
      run.error !== undefined
        ? run.error.message
        : `exit code ${run.status}: ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' ')}`;
    throw new Error(`Signing ${path.basename(file)} failed (${program}, ${why}).`);
  }
  if (usesOut) renameSync(out, file);
  const after = readFileSync(file);
  const signed = isPortableExecutable(file) ? peIsSigned(after) : !after.equals(before);
  if (!signed) throw new Error(`The signing command ran but ${path.basename(file)} carries no signature: nothing unsigned is shipped.`);
}

/** publisherName as electron-builder.yml sets it (win.signtoolOptions). */
export async function configuredPublisherName(root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')) {
  const { load } = await import('js-yaml');
  const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  return config?.win?.signtoolOptions?.publisherName;
}

/** The check to run before a build (CI): WARDLINE_WIN_SIGN_CERTIFICATE against electron-builder.yml's publisherName. */
export async function preflight(env = process.env) {
  signCommandFromEnvironment(env);
  const certificateFile = env.WARDLINE_WIN_SIGN_CERTIFICATE;
  if (certificateFile === undefined || certificateFile.trim() === '') {
    throw new Error(
      'WARDLINE_WIN_SIGN_CERTIFICATE is not set: give the path of the signing certificate (its public part), checked against publisherName.',
    );
  }
  return checkPublisher({ publisherName: await configuredPublisherName(), certificate: readFileSync(certificateFile) });
}

/** The hook electron-builder calls, once per file and hash algorithm (only SHA-256 is configured). */
export async function sign(configuration, packager, env = process.env) {
  if (configuration.hash !== undefined && configuration.hash !== 'sha256') return;
  const certificateFile = env.WARDLINE_WIN_SIGN_CERTIFICATE;
  if (certificateFile === undefined || certificateFile.trim() === '') {
    throw new Error(
      'WARDLINE_WIN_SIGN_CERTIFICATE is not set: give the path of the signing certificate (its public part), checked against publisherName.',
    );
  }
  checkPublisher({
    publisherName: packager?.platformSpecificBuildOptions?.signtoolOptions?.publisherName ?? (await configuredPublisherName()),
    certificate: readFileSync(certificateFile),
  });
  signFile(configuration.path, env);
}

export default sign;

// `node build/windows-sign.mjs --preflight`: fail a release job early, before the long build.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--preflight') {
  try {
    const commonName = await preflight();
    process.stdout.write(`The signing certificate "${commonName}" matches publisherName and may sign code.\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
