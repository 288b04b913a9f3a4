package dev.andromeda.testbed.bridge.ffm;

import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.bridge.RtlBackend;
import dev.andromeda.testbed.hw.HardwareModel;

/** The {@code rtl-ffm} backend: Verilated models through Panama FFM. */
public final class FfmBackend extends RtlBackend {
    @Override
    public String name() {
        return "rtl-ffm";
    }

    @Override
    protected String probeBackend(NativeModels models) {
        for (String block : models.blocks()) {
            try {
                ModelAbi.load(block, models.modelLibrary(block));
            } catch (RuntimeException | Error e) {
                return "cannot load " + models.modelLibrary(block) + " through FFM: " + e.getMessage();
            }
        }
        return null;
    }

    @Override
    protected HardwareModel create(String block, NativeModels models) {
        return new FfmModel(ModelAbi.load(block, models.modelLibrary(block)));
    }
}
