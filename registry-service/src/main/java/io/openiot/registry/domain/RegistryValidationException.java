package io.openiot.registry.domain;

/** A request that breaks one of AWS's registry rules; the API reports it as {@code InvalidRequestException}. */
public class RegistryValidationException extends RuntimeException {

    public RegistryValidationException(String message) {
        super(message);
    }
}
