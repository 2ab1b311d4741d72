package io.openiot.policylang;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block for {@code IpAddress} conditions; parses literals only, never resolves names. */
final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    static Cidr parse(String text) {
        String address = text.strip();
        int slash = address.indexOf('/');
        String prefix = null;
        if (slash >= 0) {
            prefix = address.substring(slash + 1);
            address = address.substring(0, slash);
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int length = bytes.length * 8;
        if (prefix != null) {
            try {
                length = Integer.parseInt(prefix);
            } catch (NumberFormatException e) {
                return null;
            }
            if (length < 0 || length > bytes.length * 8) {
                return null;
            }
        }
        return new Cidr(bytes, length);
    }

    boolean contains(String addressText) {
        byte[] address = literal(addressText.strip());
        if (address == null || address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    // a dotted quad, or a string with ':' (which InetAddress treats as an IPv6 literal and never looks up)
    private static byte[] literal(String address) {
        if (address.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
