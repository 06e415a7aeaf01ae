// How long the seeded generator takes to build the hub's demo ward (40 patients × 30 days), how
// many resources that is, and the 400-day single-patient history the vault benchmarks use. Time is
// reported as wall clock and as this process's CPU time (steadier on a machine shared with others).
import { generatePatientHistory, generateWard } from '../shared/synthetic/index.js';
import { report } from './lib/report.js';

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

generateWard({ seed: 'warm-up', patients: 2, days: 2 });

let wall = performance.now();
let cpu = cpuMs();
const ward = generateWard({ seed: 1, patients: 40, days: 30 });
report('synthetic.ward-40x30.time', performance.now() - wall, 'ms', '< 2000 ms');
report('synthetic.ward-40x30.cpu', cpuMs() - cpu, 'ms');
report('synthetic.ward-40x30.resources', ward.resources.length, 'resources', '≥ 80,000');
report('synthetic.ward-40x30.per-patient', (ward.resources.length - 1 - ward.beds.length - ward.practitioners.length) / 40, 'resources');

wall = performance.now();
cpu = cpuMs();
const history = generatePatientHistory({ seed: 1, days: 400 });
report('synthetic.history-400d.time', performance.now() - wall, 'ms');
report('synthetic.history-400d.cpu', cpuMs() - cpu, 'ms');
report(
  'synthetic.history-400d.observations',
  history.resources.filter((r) => r.resourceType === 'Observation').length,
  'resources',
  '≥ 20,000',
);
