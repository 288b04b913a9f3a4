package dev.andromeda.testbed.hw.offload;

/** Registers the checksum stage on the Java cycle model as {@code emu}. */
public final class EmuChecksumProvider extends HardwareChecksumProvider {
    public EmuChecksumProvider() {
        super(new EmuBackend());
    }
}
