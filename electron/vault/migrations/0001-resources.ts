// Schema 1: the FHIR resource store. One row per resource: its JSON text plus the columns the chart
// queries filter and sort on, extracted at write time (and an Observation's numeric value and unit,
// so a year-long trend is read without parsing thousands of resources).
import type { Migration } from './migration.js';

export const resourcesMigration: Migration = {
  version: 1,
  name: 'resources',
  up(db) {
    db.exec(`
      CREATE TABLE resources (
        type          TEXT NOT NULL,
        id            TEXT NOT NULL,
        patient_id    TEXT,
        category      TEXT,
        code          TEXT,
        effective_ms  INTEGER,
        status        TEXT,
        value_num     REAL,
        value_unit    TEXT,
        version_id    TEXT,
        last_updated  TEXT,
        json          TEXT NOT NULL,
        PRIMARY KEY (type, id)
      );
      -- A patient's resources of one type, by code and time: trends, latest value per code,
      -- allergies, problems, medication requests, flags. The trailing columns make a trend (and
      -- the status filter of "latest per code") an index-only read.
      CREATE INDEX resources_by_patient_code_time
        ON resources (patient_id, type, code, effective_ms, status, value_num, value_unit);
      -- A patient's medication administrations in a time window (the MAR).
      CREATE INDEX resources_administrations_by_time ON resources (patient_id, effective_ms)
        WHERE type = 'MedicationAdministration';
      -- Encounters by status (the census: in-progress encounters).
      CREATE INDEX resources_encounters_by_status ON resources (status)
        WHERE type = 'Encounter';
    `);
  },
};
