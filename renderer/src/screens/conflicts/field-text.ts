// A FHIR field's value as a short line of plain text for the side-by-side view: quantities with
// units, codes as their words, references as their display (never a record id), statuses in words,
// times in local clinical format.
import { formatDateTime } from '../../../../shared/display/index.js';
import { unitText } from '../chart/observation-format.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function conceptText(concept: Json): string | null {
  if (typeof concept.text === 'string') return concept.text;
  const coding = Array.isArray(concept.coding) ? concept.coding.find(isObject) : undefined;
  if (coding === undefined) return null;
  return typeof coding.display === 'string' ? coding.display : typeof coding.code === 'string' ? coding.code : null;
}

function quantityText(quantity: Json): string | null {
  if (typeof quantity.value !== 'number') return null;
  const unit = unitText(typeof quantity.unit === 'string' ? quantity.unit : typeof quantity.code === 'string' ? quantity.code : null);
  return unit.length > 0 ? `${quantity.value} ${unit}` : String(quantity.value);
}

function objectText(value: Json): string {
  if ('value' in value && typeof value.value === 'number') return quantityText(value) ?? String(value.value);
  if ('coding' in value || 'text' in value) {
    const text = conceptText(value);
    if (text !== null) return text;
  }
  if (typeof value.display === 'string') return value.display;
  // A link without a name: the id means nothing at the bedside.
  if (typeof value.reference === 'string') return '(not named in the record)';
  if (typeof value.start === 'string' || typeof value.end === 'string') {
    return `${formatDateTime(typeof value.start === 'string' ? value.start : null)} to ${formatDateTime(typeof value.end === 'string' ? value.end : null)}`;
  }
  // An Observation component: its code and its value.
  if (isObject(value.code)) {
    const name = conceptText(value.code) ?? 'Value';
    const quantity = isObject(value.valueQuantity) ? quantityText(value.valueQuantity) : null;
    return `${name}: ${quantity ?? (typeof value.valueString === 'string' ? value.valueString : '—')}`;
  }
  if (isObject(value.actor)) return objectText(value.actor);
  if (isObject(value.dose)) return objectText(value.dose);
  if (typeof value.text === 'string') return value.text;
  return Object.entries(value)
    .filter(([key]) => key !== 'extension' && key !== 'system')
    .map(([key, v]) => `${key}: ${fieldText(v)}`)
    .join(', ');
}

/** The value as one line; "(not recorded)" when this version does not have the field. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '(not recorded)';
  if (typeof value === 'string') return DATE_TIME.test(value) ? formatDateTime(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(fieldText).join('; ');
  if (isObject(value)) return objectText(value);
  return String(value);
}

/** A status code in the words the chart uses. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  final: 'Final',
  preliminary: 'Preliminary',
  registered: 'Registered',
  amended: 'Amended',
  corrected: 'Corrected',
  cancelled: 'Cancelled',
  'entered-in-error': 'Entered in error',
  completed: 'Given',
  'not-done': 'Not given',
  'in-progress': 'In progress',
  'on-hold': 'On hold',
  stopped: 'Stopped',
  current: 'Current',
  superseded: 'Replaced by a newer version',
  unknown: 'Unknown',
};

/** A row's value: `fieldText`, a status in words. */
export function rowText(field: string, value: unknown): string {
  if ((field === 'status' || field === 'docStatus') && typeof value === 'string') return STATUS_WORDS[value] ?? value;
  return fieldText(value);
}
