package io.openiot.web.security;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * The one table of who may do what, for every service (docs/security.md): reading needs any of our scopes, writing
 * {@code iot:write} or {@code iot:admin}, client and token-key administration {@code iot:admin}, the internal endpoints
 * {@code iot:internal}; health, metrics and the OpenAPI pages are open.
 */
public final class ScopeTable {

    public static final String READ = "iot:read";
    public static final String WRITE = "iot:write";
    public static final String ADMIN = "iot:admin";
    public static final String INTERNAL = "iot:internal";

    /** Open without credentials on every service. */
    public static final List<String> OPEN_PATHS = List.of("/actuator/health", "/actuator/health/**",
            "/actuator/prometheus", "/actuator/info", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**",
            "/swagger-ui.html");

    private ScopeTable() {
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry requests,
                      List<String> extraOpenPaths) {
        requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                .requestMatchers(OPEN_PATHS.toArray(String[]::new)).permitAll();
        if (!extraOpenPaths.isEmpty()) {
            requests.requestMatchers(extraOpenPaths.toArray(String[]::new)).permitAll();
        }
        requests.requestMatchers("/internal/**").hasAuthority(scope(INTERNAL))
                .requestMatchers("/clients", "/clients/**", "/token-keys", "/token-keys/**").hasAuthority(scope(ADMIN))
                .requestMatchers(HttpMethod.GET).hasAnyAuthority(scope(READ), scope(WRITE), scope(ADMIN))
                .requestMatchers(HttpMethod.HEAD).hasAnyAuthority(scope(READ), scope(WRITE), scope(ADMIN))
                .requestMatchers(HttpMethod.POST).hasAnyAuthority(scope(WRITE), scope(ADMIN))
                .requestMatchers(HttpMethod.PUT).hasAnyAuthority(scope(WRITE), scope(ADMIN))
                .requestMatchers(HttpMethod.PATCH).hasAnyAuthority(scope(WRITE), scope(ADMIN))
                .requestMatchers(HttpMethod.DELETE).hasAnyAuthority(scope(WRITE), scope(ADMIN))
                .anyRequest().authenticated();
    }

    /** The Spring Security authority of a scope. */
    public static String scope(String scope) {
        return "SCOPE_" + scope;
    }
}
