package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.tb.jobs.CopyJob;
import dev.andromeda.testbed.tb.jobs.Hex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** {@code tb offload copy}: memory-to-memory copies through the copy stage. */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Copies through the copy stage (the dma_copy engine in hardware).",
                "",
                "Job:    {\"id\":\"c1\",\"data\":\"<hex>\",\"srcOffset\":0..63,\"dstOffset\":0..63}",
                "        data (up to 65,536 bytes) is placed at a source misaligned by srcOffset",
                "        from a 64-byte boundary and copied to a destination misaligned by dstOffset.",
                "Result: {\"id\":\"c1\",\"data\":\"<hex read back from the destination>\",\"cycles\":<n>,",
                "         \"queuedCycles\":<q>,\"serviceCycles\":<s>}",
                "        An engine that writes a byte of the 64-byte guards around the destination fails",
                "        the job.",
                "        cycles: from the job's descriptor being offered to its completion. A batch's jobs",
                "        are offered together and the engine serves them in turn, so cycles = queuedCycles",
                "        (waiting for the job before it to complete) + serviceCycles (from then, or from",
                "        the offer if the engine was free, to its own completion). --batch 1: queued 0.",
                ""},
        footer = {"", "Exit status: 0 all jobs done, 3 some jobs rejected or failed, 1 usage or I/O error."})
public final class OffloadCopyCommand extends OffloadJobsCommand<CopyJob, CopyOffload> {
    static final String CYCLES_NOTE = "cycles = queuedCycles (behind earlier jobs of the batch) + serviceCycles"
            + "\n(the job's own); --batch 1: nothing queued";

    @Override
    protected String cyclesNote() {
        return CYCLES_NOTE;
    }

    /** Sentinel around every destination: any change to it is a write outside the copy. */
    static final byte GUARD = (byte) 0xA5;

    @Option(names = "--mem-latency", defaultValue = "" + OffloadOptions.DEFAULT_MEMORY_LATENCY, paramLabel = "CYCLES",
            description = "Memory read latency in cycles (default ${DEFAULT-VALUE}).")
    int memoryLatency;

    @Option(names = "--reads-in-flight", defaultValue = "" + OffloadOptions.DEFAULT_READS_IN_FLIGHT, paramLabel = "N",
            description = "Read bursts the memory accepts at once (default ${DEFAULT-VALUE}).")
    int readsInFlight;

    @Override
    protected String stage() {
        return "copy";
    }

    @Override
    protected void checkOptions() {
        super.checkOptions();
        // The bounds OffloadOptions enforces, said with the flags' names.
        outOfRange(memoryLatency < 0 || memoryLatency > 100_000,
                "--mem-latency must be 0..100000 cycles, was " + memoryLatency);
        outOfRange(readsInFlight < 1 || readsInFlight > 1024,
                "--reads-in-flight must be 1..1024, was " + readsInFlight);
    }

    @Override
    protected OffloadOptions options() {
        return super.options().withMemory(memoryLatency, readsInFlight);
    }

    @Override
    protected void checkImplementation(String name) {
        Offloads.provider(CopyOffloadProvider.class, name);
    }

    @Override
    protected CopyOffload open(String name, OffloadOptions options) {
        return Offloads.open(CopyOffloadProvider.class, name, options);
    }

    @Override
    protected CopyJob parse(JsonNode node) {
        return CopyJob.parse(node);
    }

    @Override
    protected void run(CopyOffload stage, List<CopyJob> jobs, List<ObjectNode> results, boolean hardware) {
        // Each job: a source region and a destination region, each 64-byte aligned plus the job's
        // misalignment, with a 64-byte guard on both sides of the destination.
        long[] src = new long[jobs.size()];
        long[] dst = new long[jobs.size()];
        long at = 0;
        for (int i = 0; i < jobs.size(); i++) {
            int len = jobs.get(i).data().length;
            src[i] = at + jobs.get(i).srcOffset();
            at = align64(src[i] + len) + 64;
            dst[i] = at + 64 + jobs.get(i).dstOffset();
            at = align64(dst[i] + len) + 128;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Math.max(at, 64), 64);
            memory.fill(GUARD);
            try (CopyBatch batch = new CopyBatch(jobs.size(), memory)) {
                for (int i = 0; i < jobs.size(); i++) {
                    byte[] d = jobs.get(i).data();
                    MemorySegment.copy(d, 0, memory, ValueLayout.JAVA_BYTE, src[i], d.length);
                    batch.add(src[i], dst[i], d.length, i);
                }
                stage.process(batch);
                for (int i = 0; i < jobs.size(); i++) {
                    ObjectNode r = results.get(i);
                    int len = jobs.get(i).data().length;
                    if (batch.status(i) != CopyBatch.STATUS_DONE) {
                        r.put("error", "rejected by the engine: " + batch.validate(i));
                        continue;
                    }
                    String damage = guardDamage(memory, dst[i], len);
                    if (damage != null) {
                        r.put("error", damage);
                        continue;
                    }
                    r.put("data", Hex.encode(memory.asSlice(dst[i], len).toArray(ValueLayout.JAVA_BYTE)));
                    if (hardware) {
                        r.put("cycles", batch.cycles(i));
                        r.put("queuedCycles", batch.queuedCycles(i));
                        r.put("serviceCycles", batch.cycles(i) - batch.queuedCycles(i));
                    }
                }
            }
        }
    }

    private static String guardDamage(MemorySegment memory, long dst, int len) {
        long before = align64(dst) - 64;
        for (long a = before; a < dst; a++) {
            if (memory.get(ValueLayout.JAVA_BYTE, a) != GUARD) {
                return "the engine wrote outside the destination: byte " + (a - dst) + " (before it) changed";
            }
        }
        for (long a = dst + len; a < dst + len + 64; a++) {
            if (memory.get(ValueLayout.JAVA_BYTE, a) != GUARD) {
                return "the engine wrote outside the destination: byte " + (a - dst) + " (after it) changed";
            }
        }
        return null;
    }

    private static long align64(long a) {
        return (a + 63) & ~63L;
    }
}
