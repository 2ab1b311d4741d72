package io.openiot.web.security;

import java.util.Arrays;
import java.util.Set;

/**
 * The derived SigV4 key of one access key for one (date, region, service), and whose it is. The secret access key
 * itself never leaves policy-service; this key is only good for the day and scope it was derived for.
 */
public record SigningKey(String accessKeyId, String clientId, Set<String> scopes, byte[] key) {

    public SigningKey {
        scopes = Set.copyOf(scopes);
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey that && accessKeyId.equals(that.accessKeyId)
                && clientId.equals(that.clientId) && scopes.equals(that.scopes) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return accessKeyId.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKey[accessKeyId=" + accessKeyId + ", clientId=" + clientId + ", scopes=" + scopes + "]";
    }
}
