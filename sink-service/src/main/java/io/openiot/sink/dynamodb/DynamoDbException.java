package io.openiot.sink.dynamodb;

/** A failure answered with DynamoDB's error JSON: {@code __type} names the error as the SDKs expect it. */
abstract class DynamoDbException extends RuntimeException {

    static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private DynamoDbException(String message) {
        super(message);
    }

    abstract String type();

    static final class Validation extends DynamoDbException {
        Validation(String message) {
            super(message);
        }

        @Override
        String type() {
            return "ValidationException";
        }
    }

    static final class ResourceNotFound extends DynamoDbException {
        ResourceNotFound(String table) {
            super("Requested resource not found: Table: " + table + " not found");
        }

        @Override
        String type() {
            return "ResourceNotFoundException";
        }
    }

    static final class ResourceInUse extends DynamoDbException {
        ResourceInUse(String table) {
            super("Table already exists: " + table);
        }

        @Override
        String type() {
            return "ResourceInUseException";
        }
    }

    static final class UnknownOperation extends DynamoDbException {
        UnknownOperation(String operation) {
            super("Unknown operation: " + operation);
        }

        @Override
        String type() {
            return "UnknownOperationException";
        }
    }
}
