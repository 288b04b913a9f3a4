package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AXI4 memory under a scripted master (a Java module whose master outputs follow ports
 * the test sets): FIXED, INCR and WRAP bursts of every size, unaligned and narrow, IDs, data
 * before its address, strobes, out-of-range and failing ranges -- against byte arrays and
 * the address arithmetic of the AXI spec (A3.4.1), written here as the spec states it.
 */
class AxiMemoryTest {
    private static final int BUS = 8;
    private static final int SIZE = 8192 - 512;

    /** A master's ports: each output copies the input {@code tb_<name>} the test drives. */
    static final class Master extends Module {
        private final List<Input> ins = new ArrayList<>();
        private final List<Output> outs = new ArrayList<>();

        Master() {
            super("master");
            for (AxiSignal s : AxiSignal.values()) {
                String n = "m_axi_" + s.axiName();
                int width = switch (s) {
                    case AWADDR, ARADDR, WDATA, RDATA -> 64;
                    case AWLEN, ARLEN, WSTRB -> 8;
                    case AWSIZE, ARSIZE, AWPROT, ARPROT -> 3;
                    case AWBURST, ARBURST, BRESP, RRESP -> 2;
                    case AWID, ARID, BID, RID -> 4;
                    default -> 1;
                };
                boolean fromMaster = switch (s) {
                    case ARBEATS, AWBEATS -> false;
                    case ARREADY, AWREADY, WREADY, RID, RDATA, RRESP, RLAST, RVALID, BID, BRESP, BVALID -> false;
                    default -> true;
                };
                if (s == AxiSignal.ARBEATS || s == AxiSignal.AWBEATS) {
                    continue;
                }
                if (fromMaster) {
                    ins.add(input("tb_" + s.axiName(), width));
                    outs.add(output(n, width));
                } else {
                    input(n, width);
                }
            }
        }

        @Override
        protected void nextState() {
        }

        @Override
        protected void drive() {
            for (int i = 0; i < ins.size(); i++) {
                outs.get(i).set(ins.get(i).get());
            }
        }
    }

    /** A burst request: its beats' data (writes) and strobes, or the beats read. */
    record Burst(long addr, int beats, int size, int type, int id, long[] data, long[] strb) {
    }

    /** Plays the master: AR, AW and W queues presented independently; R and B collected. */
    static final class Script implements BusAgent {
        final KitModel m;
        final ArrayDeque<Burst> ar = new ArrayDeque<>();
        final ArrayDeque<Burst> aw = new ArrayDeque<>();
        final ArrayDeque<long[]> w = new ArrayDeque<>();   // {data, strb, last}
        final List<long[]> r = new ArrayList<>();            // {data, resp, id, last}
        final List<long[]> b = new ArrayList<>();            // {resp, id}
        boolean arF;
        boolean awF;
        boolean wF;
        long awHoldUntil;

        Script(KitModel m) {
            this.m = m;
        }

        void set(String n, long v) {
            m.set(m.port("tb_" + n), v);
        }

        long get(String n) {
            return m.get(m.port("m_axi_" + n));
        }

        @Override
        public void beforeEdge(long cycle) {
            Burst a = ar.peekFirst();
            set("arvalid", a == null ? 0 : 1);
            if (a != null) {
                set("araddr", a.addr);
                set("arlen", a.beats - 1);
                set("arsize", a.size);
                set("arburst", a.type);
                set("arid", a.id);
            }
            Burst x = aw.peekFirst();
            boolean awOn = x != null && cycle >= awHoldUntil;
            set("awvalid", awOn ? 1 : 0);
            if (awOn) {
                set("awaddr", x.addr);
                set("awlen", x.beats - 1);
                set("awsize", x.size);
                set("awburst", x.type);
                set("awid", x.id);
            }
            long[] d = w.peekFirst();
            set("wvalid", d == null ? 0 : 1);
            if (d != null) {
                set("wdata", d[0]);
                set("wstrb", d[1]);
                set("wlast", d[2]);
            }
            set("rready", 1);
            set("bready", 1);
        }

        @Override
        public void sample(long cycle) {
            arF = get("arvalid") != 0 && get("arready") != 0;
            awF = get("awvalid") != 0 && get("awready") != 0;
            wF = get("wvalid") != 0 && get("wready") != 0;
            if (get("rvalid") != 0) {
                r.add(new long[] {get("rdata"), get("rresp"), get("rid"), get("rlast")});
            }
            if (get("bvalid") != 0) {
                b.add(new long[] {get("bresp"), get("bid")});
            }
        }

        @Override
        public void afterEdge(long cycle) {
            if (arF) {
                ar.removeFirst();
            }
            if (awF) {
                aw.removeFirst();
            }
            if (wF) {
                w.removeFirst();
            }
        }
    }

    /** AXI spec A3.4.1: the address of each beat. */
    static long[] addresses(long start, int beats, int size, int type) {
        long nb = 1L << size;
        long aligned = start / nb * nb;
        long total = nb * beats;
        long boundary = start / total * total;
        long[] a = new long[beats];
        long addr = start;
        for (int n = 0; n < beats; n++) {
            a[n] = addr;
            if (type == 0) {
                continue;                                   // FIXED: every beat at the start address
            }
            addr = (n == 0 ? aligned : addr) + nb;
            if (type == 2 && addr == boundary + total) {
                addr = boundary;                            // WRAP
            }
        }
        return a;
    }

    /** The byte lanes beat {@code n} at {@code addr} uses: lower and upper lane (inclusive). */
    static int[] lanes(long addr, int size) {
        long nb = 1L << size;
        int lower = (int) (addr - addr / BUS * BUS);
        int upper = (int) (addr / nb * nb + nb - 1 - addr / BUS * BUS);
        return new int[] {lower, upper};
    }

    /** A random legal burst inside [0, limit): kind, size, length, never crossing 4 KiB. */
    static Burst randomBurst(Random random, long limit, int id) {
        while (true) {
            int type = random.nextInt(3);
            int size = random.nextInt(4);
            int beats = type == 2 ? 2 << random.nextInt(4) : 1 + random.nextInt(16);
            // Up to 1 KiB past the limit: some bursts run out of memory.
            long addr = random.nextInt((int) limit + 512);
            if (type == 2) {
                addr &= -(1L << size);
            }
            long[] a = addresses(addr, beats, size, type);
            long lo = Arrays.stream(a).min().orElseThrow() / (1L << size) * (1L << size);
            long hi = Arrays.stream(a).max().orElseThrow() / (1L << size) * (1L << size) + (1L << size);
            if (hi <= limit + 1024 && lo / 4096 == (hi - 1) / 4096) {
                return new Burst(addr, beats, size, type == 0 ? 0 : type, id, null, null);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void readsAndWritesEveryBurstKindOnTheLanesTheSpecSays(long seed) {
        Random random = new Random(seed);
        byte[] oracle = new byte[SIZE];
        random.nextBytes(oracle);
        try (Arena arena = Arena.ofConfined(); KitModel model = new KitModel(new Master())) {
            MemorySegment memory = arena.allocate(SIZE, 64);
            MemorySegment.copy(oracle, 0, memory, ValueLayout.JAVA_BYTE, 0, SIZE);
            AxiPorts ports = AxiPorts.bind(model, "m_axi");
            AxiMemory mem = new AxiMemory(ports, memory, seed, 1 + random.nextInt(6), 1 + random.nextInt(4), 0.3, 0.3,
                    AxiMemory.Faults.none().failReads(100, 108).outOfRange(AxiResp.SLVERR));
            Script master = new Script(model);
            AxiProtocolChecker checker = new AxiProtocolChecker(ports);
            Testbench tb = new Testbench(model).settling(true).add(master).add(mem).add(checker);
            tb.cycle();
            long outsideBeats = 0;
            long errorBeats = 0;
            for (int round = 0; round < 60; round++) {
                // A read, checked beat by beat against the bytes the oracle holds.
                Burst rd = randomBurst(random, SIZE, random.nextInt(16));
                master.ar.add(rd);
                master.r.clear();
                tb.runUntil(() -> master.r.size() == rd.beats, 2_000);
                long[] at = addresses(rd.addr, rd.beats, rd.size, rd.type);
                for (int n = 0; n < rd.beats; n++) {
                    long[] beat = master.r.get(n);
                    String what = "seed " + seed + " round " + round + " " + rd + " beat " + n;
                    assertThat(beat[2]).as(what + " rid").isEqualTo(rd.id);
                    assertThat(beat[3]).as(what + " rlast").isEqualTo(n == rd.beats - 1 ? 1 : 0);
                    int[] l = lanes(at[n], rd.size);
                    long base = at[n] / BUS * BUS;
                    boolean outside = base + l[1] >= SIZE;
                    boolean failing = base + l[0] < 108 && base + l[1] >= 100;
                    outsideBeats += outside ? 1 : 0;
                    errorBeats += outside || failing ? 1 : 0;
                    assertThat(beat[1]).as(what + " rresp").isEqualTo(outside || failing ? AxiResp.SLVERR : AxiResp.OKAY);
                    for (int lane = l[0]; lane <= l[1] && !outside && !failing; lane++) {
                        assertThat((byte) (beat[0] >>> 8 * lane)).as(what + " lane " + lane)
                                .isEqualTo(oracle[(int) (base + lane)]);
                    }
                }
                // A write, its data sent before its address half the time.
                Burst wr = randomBurst(random, SIZE - 1024, random.nextInt(16));
                long[] wat = addresses(wr.addr, wr.beats, wr.size, wr.type);
                for (int n = 0; n < wr.beats; n++) {
                    int[] l = lanes(wat[n], wr.size);
                    long strb = 0;
                    for (int lane = l[0]; lane <= l[1]; lane++) {
                        strb |= (long) (random.nextInt(4) == 0 ? 0 : 1) << lane;
                    }
                    long data = random.nextLong();
                    master.w.add(new long[] {data, strb, n == wr.beats - 1 ? 1 : 0});
                    long base = wat[n] / BUS * BUS;
                    for (int lane = 0; lane < BUS; lane++) {
                        if ((strb >>> lane & 1) != 0) {
                            oracle[(int) (base + lane)] = (byte) (data >>> 8 * lane);
                        }
                    }
                }
                master.awHoldUntil = random.nextBoolean() ? tb.now() + 3L * wr.beats + 2 : 0;
                master.aw.add(wr);
                master.b.clear();
                tb.runUntil(() -> master.b.size() == 1, 2_000);
                assertThat(master.b.get(0)).as("seed %d round %d %s: bresp, bid", seed, round, wr)
                        .containsExactly(AxiResp.OKAY, wr.id);
            }
            tb.runUntil(mem::idle, 100);
            assertThat(Arrays.mismatch(oracle, memory.toArray(ValueLayout.JAVA_BYTE)))
                    .as("first byte differing from the oracle, seed %d", seed).isEqualTo(-1);
            assertThat(checker.quiet()).isTrue();
            assertThat(mem.outOfRange()).as("beats outside, counted, seed %d", seed).isEqualTo(outsideBeats);
            assertThat(mem.readErrors()).as("beats answered SLVERR, seed %d", seed).isEqualTo(errorBeats);
        }
    }
}
