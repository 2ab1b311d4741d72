package io.openiot.web.security;

import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.AwsErrorCodes;
import io.openiot.web.problem.AwsProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details with AWS's error types. Spring Security's bearer-token handlers set the status and
 * {@code WWW-Authenticate} (RFC 6750); the body is added here, without the token's details.
 */
final class AwsSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(AwsSecurityErrors.class);

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        boolean tokenSent = request.getHeader("Authorization") != null;
        AwsProblems.write(request, response, new ApiError(HttpStatus.UNAUTHORIZED, AwsErrorCodes.UNAUTHORIZED,
                tokenSent ? "The bearer token is invalid or expired"
                        : "Authentication required: a bearer token or an AWS Signature Version 4 signature"));
    }

    /**
     * A bearer token that could not be checked at all (the issuer's JWKS unreachable and not cached yet) is the
     * platform's failure, not the caller's: 503, never a 500 and never a 401 that would make clients drop the token.
     */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        if (exception instanceof AuthenticationServiceException) {
            log.warn("bearer token could not be verified: {}", exception.getMessage());
            AwsProblems.write(request, response, new ApiError(HttpStatus.SERVICE_UNAVAILABLE,
                    AwsErrorCodes.SERVICE_UNAVAILABLE, "The credentials cannot be verified right now"));
            return;
        }
        commence(request, response, exception);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException exception) throws IOException {
        Authentication caller = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        if (!(caller instanceof SigV4Authentication)) {
            bearerDenied.handle(request, response, exception);
        }
        String who = caller == null ? "the caller" : caller.getName();
        AwsProblems.write(request, response, new ApiError(HttpStatus.FORBIDDEN, AwsErrorCodes.ACCESS_DENIED,
                "User: " + who + " is not authorized to perform: " + request.getMethod() + " "
                        + request.getRequestURI()));
    }
}
