package io.openiot.gateway;

/** A request that AWS would answer with 400 {@code InvalidRequestException}. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
