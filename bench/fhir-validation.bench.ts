// How fast validateResource admits resources on their way into the vault or the hub (the vault's
// ingest goal is ≥ 30,000 validated resources/s including SQLite writes, so validation must stay
// well under 10 µs per resource). Measures generated charts, so the mix of shapes is realistic,
// and the zod-only slow path for comparison (what rejecting costs, and what the guard saves).
import { generatePatientHistory } from '../shared/synthetic/index.js';
import { validateResource, type Resource } from '../shared/fhir/index.js';
import { schemaFor } from '../shared/fhir/validate.js';
import { report } from './lib/report.js';

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Best of `rounds` passes over `items`, in CPU time (robust to other processes on a shared machine). */
function bestMicrosPerItem(items: readonly unknown[], rounds: number, work: (item: unknown) => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = cpuMs();
    for (const item of items) work(item);
    best = Math.min(best, ((cpuMs() - start) * 1000) / items.length);
  }
  return best;
}

const history = generatePatientHistory({ seed: 'bench-validation', days: 60 });
const resources: Resource[] = history.resources;
const observations = resources.filter((r) => r.resourceType === 'Observation');
// 100k observations as the vault would see them: parsed from JSON, one object graph each.
const incoming: unknown[] = [];
while (incoming.length < 100_000) for (const o of observations) if (incoming.length < 100_000) incoming.push(JSON.parse(JSON.stringify(o)));
const mixed = resources.map((r) => JSON.parse(JSON.stringify(r)) as unknown);

for (const o of incoming.slice(0, 20_000)) validateResource(o);
const obsMicros = bestMicrosPerItem(incoming, 5, (o) => validateResource(o));
report('fhir.validate.observation', obsMicros, 'µs', '< 10 µs');
report('fhir.validate.observation.rate', 1e6 / obsMicros, 'res/s');
const mixedMicros = bestMicrosPerItem(mixed, 5, (r) => validateResource(r));
report('fhir.validate.chart-mix.rate', 1e6 / mixedMicros, 'res/s');
// The same work through the zod schemas alone (the path a rejected resource takes).
const zodObservation = schemaFor('Observation');
const zodMicros = bestMicrosPerItem(incoming.slice(0, 30_000), 3, (o) => zodObservation.safeParse(o));
report('fhir.validate.observation.zod-only', zodMicros, 'µs');
const zodMixedMicros = bestMicrosPerItem(mixed, 3, (r) => schemaFor((r as Resource).resourceType as 'Observation').safeParse(r));
report('fhir.validate.chart-mix.zod-only.rate', 1e6 / zodMixedMicros, 'res/s');
