// `wardline demo` as someone trying Wardline meets it: it starts the demo hub, enrolls and syncs
// the workstation, prints a one-time address and the demo accounts; the address opens the app and
// its WebSocket reaches the host; a second demo on the same folder refuses meanwhile; Ctrl-C stops
// the workstation and the hub, and erases the workstation.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameClient, sessionCookieFrom, standInRenderer, trySocket } from './loopback-kit.js';

const folders: string[] = [];
let demo: ChildProcessWithoutNullStreams | null = null;

afterAll(() => {
  demo?.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('wardline demo', () => {
  it('starts hub and workstation, prints a one-time address that opens the app, and stops everything at Ctrl-C', async () => {
    const data = mkdtempSync(join(tmpdir(), 'wardline-demo-'));
    const renderer = standInRenderer();
    folders.push(data, renderer);
    demo = spawn(process.execPath, ['bin/wardline.js', 'demo', '--data', data, '--patients', '3', '--renderer', renderer], {
      stdio: 'pipe',
    });
    const out: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: demo!.stdout }).on('line', (line) => {
        out.push(line);
        if (line.startsWith('Press Enter')) resolve();
      });
      demo!.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${out.join('\n')}`)));
    });
    await ready;
    const text = out.join('\n');
    const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(text)?.[1];
    const hubUrl = /^Demo hub: +(https:\/\/127\.0\.0\.1:\d+)/m.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(hubUrl).toBeDefined();
    expect(text).toMatch(/^First sync: +3 patients on the ward/m);
    expect(text).toMatch(/^ {2}nurse\.demo +nurse +password: \S+/m);
    expect(text).toMatch(/^ {2}admin\.demo +admin +password: \S+/m);

    // A second demo on the same folder refuses instead of erasing the running one.
    const second = spawn(process.execPath, ['bin/wardline.js', 'demo', '--data', data, '--patients', '3', '--renderer', renderer], {
      stdio: 'pipe',
    });
    let secondErr = '';
    second.stderr.setEncoding('utf8').on('data', (chunk: string) => (secondErr += chunk));
    expect(await new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)))).toBe(1);
    expect(secondErr).toMatch(
      /^wardline demo: wardline demo is running on .* \(process \d+, since .*\)\. Wait for it to finish; nothing was changed\./,
    );
    expect(existsSync(join(data, 'workstation', 'vault.db'))).toBe(true);

    const { port, origin } = new URL(url!);
    const cookie = await sessionCookieFrom(url!);
    const outcome = await trySocket(Number(port), { cookie, origin });
    if (!('opened' in outcome)) throw new Error(`refused with ${outcome.refused}`);
    const client = new FrameClient(outcome.opened);
    expect(await client.invoke('session:state')).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    const closed = client.closed();

    const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    demo = null;
    await closed;
    expect(out.at(-1)).toBe('Demo stopped.');
    expect(await portRefuses(Number(port))).toBe(true);
    expect(await portRefuses(Number(new URL(hubUrl!).port))).toBe(true);
    expect(existsSync(join(data, 'workstation'))).toBe(false);
  });
});
