package dev.andromeda.testbed.tb.pcap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The PSP dissector for Wireshark and tshark ({@code psp.lua}, a resource of
 * this module): Wireshark has none of its own, so the demo writes this one
 * beside each capture it makes.
 */
public final class PspDissector {
    public static final String RESOURCE = "/wireshark/psp.lua";

    private PspDissector() {
    }

    /** Writes {@code psp.lua} into the directory of {@code pcap}; returns its path. */
    public static Path writeBeside(Path pcap) throws IOException {
        Path dir = pcap.toAbsolutePath().getParent();
        Path lua = dir.resolve("psp.lua");
        try (InputStream in = PspDissector.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the PSP dissector " + RESOURCE + " is missing from the testbench jar");
            }
            Files.copy(in, lua, StandardCopyOption.REPLACE_EXISTING);
        }
        return lua;
    }
}
