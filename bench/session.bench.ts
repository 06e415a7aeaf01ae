// Sessions: how fast a lock stops patient data (manual shortcut and OS lock-screen triggers), and
// how long a PIN unlock and a full offline sign-in take with the production argon2id parameters.
// Baseline in the same run: one bare argon2id verification with each parameter set.
import argon2 from 'argon2';
import {
  ControllablePowerEvents,
  DEFAULT_CREDENTIAL_HASHING,
  InMemoryCredentialStore,
  MemorySessionEventSink,
  SessionManager,
  SystemClock,
  timerScheduler,
  type Argon2idParams,
  type CredentialHashing,
} from '../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../electron/session/test-helpers.js';
import { percentile, report, timeMs } from './lib/report.js';

const LOCK_SAMPLES = 2000;
const PIN_SAMPLES = 40;
const SIGN_IN_SAMPLES = 20;

function newManager(hashing: CredentialHashing = DEFAULT_CREDENTIAL_HASHING): {
  manager: SessionManager;
  power: ControllablePowerEvents;
  hub: ScriptedHubLogin;
} {
  const clock = new SystemClock();
  const power = new ControllablePowerEvents();
  const hub = new ScriptedHubLogin(wardStaff());
  const manager = new SessionManager({
    clock,
    scheduler: timerScheduler(clock),
    powerEvents: power,
    credentials: new InMemoryCredentialStore(),
    events: new MemorySessionEventSink(),
    workstationWard: TEST_WARD,
    hubLogin: hub,
    hashing,
  });
  return { manager, power, hub };
}

/**
 * The lock path does no argon2 work, so this loop uses the cheapest argon2id to resume between
 * samples (with the production parameters 2000 resumes would take minutes and measure nothing more).
 */
async function lockToNoData(): Promise<number[]> {
  const { manager, power, hub } = newManager(CHEAP_HASHING);
  const nina = hub.account('nina');
  await manager.signInOnline(nina.username, nina.password);
  let purgedAt = 0n;
  manager.onRendererPurge(() => {
    purgedAt = process.hrtime.bigint();
  });
  const samples: number[] = [];
  for (let i = 0; i < LOCK_SAMPLES; i += 1) {
    purgedAt = 0n;
    const start = process.hrtime.bigint();
    if (i % 2 === 0) manager.lock('manual');
    else power.emit('lock-screen');
    const serving = manager.current().active !== null;
    const end = process.hrtime.bigint();
    if (serving || purgedAt === 0n) throw new Error('a lock left patient data served or the renderer unpurged');
    samples.push(Number(end - start) / 1e6);
    await manager.unlockWithPassword(nina.userId, nina.password);
  }
  manager.close();
  return samples;
}

async function pinUnlocks(): Promise<number[]> {
  const { manager, hub } = newManager();
  const nina = hub.account('nina');
  await manager.signInOnline(nina.username, nina.password);
  await manager.setPin(nina.pin);
  const samples: number[] = [];
  for (let i = 0; i < PIN_SAMPLES; i += 1) {
    manager.lock('manual');
    samples.push(await timeMs(() => manager.unlockWithPin(nina.userId, nina.pin)));
  }
  manager.close();
  return samples;
}

async function offlineSignIns(): Promise<number[]> {
  const { manager, hub } = newManager();
  const nina = hub.account('nina');
  await manager.signInOnline(nina.username, nina.password);
  manager.signOut();
  hub.reachable = false;
  const samples: number[] = [];
  for (let i = 0; i < SIGN_IN_SAMPLES; i += 1) {
    samples.push(await timeMs(() => manager.signInOffline(nina.username, nina.password)));
    manager.signOut();
  }
  manager.close();
  return samples;
}

async function bareVerify(params: Argon2idParams, samples: number): Promise<number[]> {
  const hash = await argon2.hash('bench-secret', {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  });
  const out: number[] = [];
  for (let i = 0; i < samples; i += 1) out.push(await timeMs(() => argon2.verify(hash, 'bench-secret')));
  return out;
}

const lockSamples = await lockToNoData();
report('session.lock_to_no_data_ms', percentile(lockSamples, 95), 'ms', '≤ 50 ms (p95)');
report('session.lock_to_no_data_ms.max', Math.max(...lockSamples), 'ms');

const pins = await pinUnlocks();
report('session.pin_unlock_ms.p50', percentile(pins, 50), 'ms');
report('session.pin_unlock_ms.p95', percentile(pins, 95), 'ms', '≤ 300 ms');

const signIns = await offlineSignIns();
report('session.offline_sign_in_ms.p50', percentile(signIns, 50), 'ms');
report('session.offline_sign_in_ms.p95', percentile(signIns, 95), 'ms', '≤ 1000 ms');

const pinBaseline = await bareVerify(DEFAULT_CREDENTIAL_HASHING.pin, PIN_SAMPLES);
report('session.baseline.argon2id_pin_verify_ms.p50', percentile(pinBaseline, 50), 'ms');
const passwordBaseline = await bareVerify(DEFAULT_CREDENTIAL_HASHING.password, SIGN_IN_SAMPLES);
report('session.baseline.argon2id_password_verify_ms.p50', percentile(passwordBaseline, 50), 'ms');
