package dev.andromeda.testbed.tb.cluster;

import java.net.InetSocketAddress;

/** {@code HOST:PORT} as operators write it on a command line. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * Parses {@code HOST:PORT} (port 0: any free port).
     *
     * @throws IllegalArgumentException with the text and what is wrong
     */
    public static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port is not a number");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("'" + text + "': port out of range 0..65535");
        }
        return new InetSocketAddress(text.substring(0, colon), port);
    }

    /**
     * Refuses, on one line naming the address and {@code what} asks for it, a TCP address that is in
     * use or not local -- checked before a process starts its long work (ZooKeeper, a server).
     * Port 0 (any free port) always passes.
     */
    public static void requireFree(InetSocketAddress at, String what) {
        if (at.getPort() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // a port in TIME_WAIT is free; one in LISTEN is not
            probe.bind(at);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot listen on " + at.getHostString() + ":" + at.getPort() + " ("
                    + what + "): " + e.getMessage());
        }
    }
}
