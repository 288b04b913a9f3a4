package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.port.NicPort;

/**
 * The emulated NIC as a checksum and crypto implementation in {@code tb compare}: {@code
 * nic-emu}, {@code nic-rtl-jni}, {@code nic-rtl-ffm} -- the checksum or the PSP seal done
 * inline on the NIC's TX path (descriptors in a ring, a doorbell, completions polled),
 * against the look-aside block ({@code emu}, ...) and software. The NIC does no copy job.
 */
final class NicImpl {
    static final String PREFIX = "nic-";

    private NicImpl() {
    }

    static boolean is(String impl) {
        return impl.startsWith(PREFIX);
    }

    /** The backend the NIC runs on. */
    static String backend(String impl) {
        return impl.substring(PREFIX.length());
    }

    /** Why the implementation cannot measure the stage (a usage error), or null. */
    static String refusal(Stage stage, String impl) {
        if (stage == Stage.COPY) {
            return "'" + impl + "' does the checksum and crypto stages only (the NIC has no copy job)";
        }
        String b = backend(impl);
        if (!b.equals("emu") && !b.equals("rtl-jni") && !b.equals("rtl-ffm")) {
            return "no implementation '" + impl + "'; the NIC's are nic-emu, nic-rtl-jni, nic-rtl-ffm";
        }
        return null;
    }

    /** Why the NIC's backend cannot run here, or null. */
    static String unavailability(String impl) {
        return NicPort.unavailability(backend(impl));
    }
}
