package io.openiot.rules.destination;

/** AWS's TopicRuleDestinationStatus. */
enum DestinationStatus { IN_PROGRESS, ENABLED, DISABLED, ERROR }
