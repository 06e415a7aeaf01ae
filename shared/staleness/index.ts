// Staleness, once: how old cached data may be before the screens flag it amber, then red. The
// ward data's default thresholds (a machine policy may set others: the host sends the ones in
// force with every sync status), a patient's last vital signs, and the rule that turns an age
// into a level. The host's sync status, the renderer's banner and census, and the contract's
// level list all take them from here. Runtime-neutral.
export {
  DATA_STALENESS_LEVELS,
  DEFAULT_DATA_STALENESS,
  VITALS_STALENESS,
  VITALS_STALENESS_LEVELS,
  dataStaleness,
  vitalsStaleness,
  type DataStaleness,
  type StalenessThresholds,
  type VitalsStaleness,
} from './staleness.js';
