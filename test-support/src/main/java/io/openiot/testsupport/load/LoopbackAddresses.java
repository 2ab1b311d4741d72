package io.openiot.testsupport.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator may only put load on this machine: a host is accepted when it is {@code localhost}, an IPv4
 * literal in 127.0.0.0/8 or the IPv6 loopback literal. Names other than {@code localhost} are refused without a DNS
 * look-up, so a name that happens to resolve to a loopback address elsewhere is refused too.
 */
final class LoopbackAddresses {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private LoopbackAddresses() {
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(name);
        if (ipv4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(ipv4.group(group)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(ipv4.group(1)) == 127;
        }
        if (name.indexOf(':') >= 0 && name.matches("[0-9a-f:]+")) {
            try {
                // a literal: InetAddress parses it without any look-up
                return InetAddress.getByName(name).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** Returns the URI when its scheme is one of {@code schemes} and its host is a loopback address. */
    static URI requireLoopback(String option, String value, String... schemes) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("--" + option + ": not a URI: " + value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean known = false;
        for (String allowed : schemes) {
            known |= allowed.equals(scheme);
        }
        if (!known) {
            throw new IllegalArgumentException("--" + option + ": scheme must be " + String.join(" or ", schemes)
                    + ": " + value);
        }
        if (!isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("--" + option + ": refused: "
                    + (uri.getHost() != null ? uri.getHost() : uri.getRawAuthority())
                    + " is not a loopback address; this tool only loads localhost, 127.0.0.0/8 or ::1");
        }
        if (uri.getPort() <= 0) {
            throw new IllegalArgumentException("--" + option + ": give host and port, e.g. " + scheme
                    + "://localhost:" + ("http".equals(scheme) ? "8086" : "1883") + ": " + value);
        }
        return uri;
    }
}
