// The hub's demo mode (`serve --demo N`): the synthetic ward `demo`, demo staff accounts and an
// enrollment token, so a workstation can be tried out against a local hub in one command.
export { seedDemoWard, demoHour, DEMO_WARD, DEMO_SEED, DEMO_HISTORY_DAYS, type DemoSeedResult } from './seed-demo-ward.js';
export { ensureDemoAccounts, type DemoAccount } from './demo-accounts.js';
