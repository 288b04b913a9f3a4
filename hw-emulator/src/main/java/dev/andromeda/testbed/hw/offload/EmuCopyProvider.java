package dev.andromeda.testbed.hw.offload;

/** Registers the copy stage on the Java cycle model as {@code emu}. */
public final class EmuCopyProvider extends HardwareCopyProvider {
    public EmuCopyProvider() {
        super(new EmuBackend());
    }
}
