// How long after a patient left a ward that ward's devices may still send documentation of the stay
// (downtime entries uploaded late, their corrections): the hub's write policy judges it, and the hub
// keeps each device's gaps in contact that long (the rule asks when a device could have learned of a
// departure; server/fhir/ward-stay.ts).

/** Days after leaving a ward during which documentation of the stay is still accepted from that ward. */
export const LATE_DOCUMENTATION_DAYS = 30;
