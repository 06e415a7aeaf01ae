// The dose rule's unit converter, with @lhncbc/ucum-lhc (the NLM's maintained UCUM library). It
// stays on the host: the library loads its 230 kB unit table, and the dose verdict is the host's.
import ucum from '@lhncbc/ucum-lhc';
import type { UnitConverter } from '../../shared/medication-safety/index.js';

const utils = ucum.UcumLhcUtils.getInstance();

export const ucumConverter: UnitConverter = (value, from, to) => {
  const result = utils.convertUnitTo(from, value, to);
  return result.status === 'succeeded' && typeof result.toVal === 'number' && Number.isFinite(result.toVal) ? result.toVal : null;
};
