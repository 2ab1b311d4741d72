package io.openiot.web.security;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/** A caller identified by a verified SigV4 signature: its client id, with the scopes of that client. */
public final class SigV4Authentication extends AbstractAuthenticationToken {

    private final String clientId;
    private final String accessKeyId;

    SigV4Authentication(String clientId, String accessKeyId, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.clientId = clientId;
        this.accessKeyId = accessKeyId;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return clientId;
    }

    @Override
    public String getName() {
        return clientId;
    }

    public String accessKeyId() {
        return accessKeyId;
    }
}
