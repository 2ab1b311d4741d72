-- SQL access for analysts: one view per sink table in a schema of its own (created by the service, see
-- table.AnalyticsViews), readable by a read-only role; the attributes a table declares numeric get a typed column.
CREATE SCHEMA IF NOT EXISTS analytics;

ALTER TABLE sink_table ADD COLUMN numeric_attributes TEXT[] NOT NULL DEFAULT '{}';
