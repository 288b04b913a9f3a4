package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.kit.KitModel;

import java.util.List;

/** The {@code emu} backend: the Java cycle models, always available. */
public final class EmuBackend implements HardwareBackend {
    /** Cycles of reset every backend applies when it opens a model. */
    public static final int RESET_CYCLES = 4;

    @Override
    public String name() {
        return "emu";
    }

    @Override
    public List<String> blocks() {
        return List.of(CsumOffloadModule.BLOCK, DmaCopyModule.BLOCK, AesGcmModule.BLOCK, NicModule.BLOCK);
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailabilityCause() {
        return null;
    }

    @Override
    public HardwareModel open(String block) {
        KitModel model = switch (block) {
            case CsumOffloadModule.BLOCK -> new KitModel(new CsumOffloadModule());
            case DmaCopyModule.BLOCK -> new KitModel(new DmaCopyModule());
            case AesGcmModule.BLOCK -> new KitModel(new AesGcmModule());
            case NicModule.BLOCK -> new KitModel(new NicModule());
            default -> throw new IllegalArgumentException("emu has no model of '" + block + "'; it has " + blocks());
        };
        model.reset(RESET_CYCLES);
        return model;
    }
}
