package dev.andromeda.testbed.tb;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.offload.HardwareChecksumOffload;

import java.nio.file.Path;
import java.util.List;

/**
 * Test-only "broken hardware": the Java model of csum_offload seen through a
 * faulty output -- bit 0 of {@code m_res_csum} flips on odd checksums -- so
 * the regression has something to catch. Registered as {@code mutant} in the
 * test class path only.
 */
public final class MutantChecksumProvider implements ChecksumOffloadProvider {
    @Override
    public String name() {
        return "mutant";
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
    public ChecksumOffload open(OffloadOptions options) {
        KitModel inner = new KitModel(new CsumOffloadModule());
        inner.reset(4);
        return new HardwareChecksumOffload(new Faulty(inner), options);
    }

    private static final class Faulty implements HardwareModel {
        private final HardwareModel inner;
        private final int csum;

        Faulty(HardwareModel inner) {
            this.inner = inner;
            this.csum = inner.port("m_res_csum");
        }

        @Override
        public String block() {
            return inner.block();
        }

        @Override
        public String backend() {
            return "mutant";
        }

        @Override
        public List<PortInfo> ports() {
            return inner.ports();
        }

        @Override
        public void set(int port, long value) {
            inner.set(port, value);
        }

        @Override
        public long get(int port) {
            long v = inner.get(port);
            return port == csum && (v & 1) == 1 ? v ^ 2 : v;
        }

        @Override
        public void setWide(int port, long[] words) {
            inner.setWide(port, words);
        }

        @Override
        public void getWide(int port, long[] words) {
            inner.getWide(port, words);
        }

        @Override
        public void step(long cycles) {
            inner.step(cycles);
        }

        @Override
        public void reset(int cycles) {
            inner.reset(cycles);
        }

        @Override
        public long cycle() {
            return inner.cycle();
        }

        @Override
        public void traceOn(Path vcd) {
            inner.traceOn(vcd);
        }

        @Override
        public void traceOff() {
            inner.traceOff();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
