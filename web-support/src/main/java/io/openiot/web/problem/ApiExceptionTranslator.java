package io.openiot.web.problem;

import java.util.Optional;

/**
 * Turns a service's own exceptions that cannot extend {@link ApiException} (those of plain-Java domain packages,
 * which must not know the web layer) into an {@link ApiError}. A service declares one as a bean; the shared advice
 * asks every translator before it answers 500.
 */
@FunctionalInterface
public interface ApiExceptionTranslator {

    Optional<ApiError> translate(Throwable exception);
}
