-- Fleet search matches values case-insensitively, as AWS's fleet indexing does ("search is case insensitive"; field
-- names stay case-sensitive). SearchSql compares lower(column) with lower(value); these expression indexes answer
-- those comparisons and their prefixes (LIKE 'abc%' needs text_pattern_ops unless the collation is C).
CREATE INDEX thing_name_lower_idx ON thing (lower(name) text_pattern_ops);
CREATE INDEX thing_type_lower_idx ON thing (lower(thing_type) text_pattern_ops);
CREATE INDEX thing_attribute_lower_value_idx ON thing_attribute (name, lower(value) text_pattern_ops);
CREATE INDEX thing_group_member_lower_group_idx ON thing_group_member (lower(group_name) text_pattern_ops, thing_name);
