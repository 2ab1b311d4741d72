-- A rule without FROM runs only through Basic Ingest ($aws/rules/<ruleName>/...): it has no topic filter.
ALTER TABLE topic_rule ALTER COLUMN topic_filter DROP NOT NULL;
