package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.tb.jobs.ChecksumJob;
import dev.andromeda.testbed.tb.jobs.Hex;
import picocli.CommandLine.Command;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** {@code tb offload checksum}: checksum jobs in, results out, JSON lines. */
@Command(name = "checksum", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Checksum jobs through the NIC checksum offload stage (RFC 1071).",
                "",
                "Job:    {\"id\":\"j1\",\"data\":\"<hex>\",\"start\":14,\"insert\":40,\"seed\":4660,\"udp\":false}",
                "        start defaults to 0, insert to -1 (no insertion), seed to 0, udp to false;",
                "        data up to 9,216 bytes. udp: a checksum computed as 0 is sent as 0xFFFF (RFC 768).",
                "Result: {\"id\":\"j1\",\"status\":\"done\",\"csum\":<0..65535>,\"data\":\"<hex after insertion>\",",
                "        \"cycles\":<n>}, or status \"rejected\" with an error (the engine refused the job).",
                "        cycles (hardware implementations only) is the job's latency through the block.",
                "        csum = ~(seed + sum of the 16-bit big-endian words of data[start..]) as in RFC 1071,",
                "        written big-endian at data[insert], data[insert+1] when insert >= 0.",
                "A malformed line gives {\"id\":..,\"error\":\"<why>\"} and the run goes on.",
                ""},
        footer = {"", "Exit status: 0 all jobs done, 3 some jobs rejected, 1 usage or I/O error."})
public final class OffloadChecksumCommand extends OffloadJobsCommand<ChecksumJob, ChecksumOffload> {

    @Override
    protected String stage() {
        return "checksum";
    }

    @Override
    protected void checkImplementation(String name) {
        Offloads.checksumProvider(name);
    }

    @Override
    protected ChecksumOffload open(String name, OffloadOptions options) {
        return Offloads.openChecksum(name, options);
    }

    @Override
    protected ChecksumJob parse(JsonNode node) {
        return ChecksumJob.parse(node);
    }

    @Override
    protected void run(ChecksumOffload stage, List<ChecksumJob> jobs, List<ObjectNode> results, boolean hardware) {
        long bytes = jobs.stream().mapToLong(j -> j.data().length).sum();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Math.max(1, bytes), 64);
            long[] offsets = new long[jobs.size()];
            try (ChecksumBatch batch = new ChecksumBatch(jobs.size(), memory)) {
                long at = 0;
                for (int i = 0; i < jobs.size(); i++) {
                    ChecksumJob j = jobs.get(i);
                    MemorySegment.copy(j.data(), 0, memory, ValueLayout.JAVA_BYTE, at, j.data().length);
                    offsets[i] = at;
                    batch.add(at, j.data().length, j.start(), j.insert(), j.seed(), j.udp());
                    at += j.data().length;
                }
                stage.process(batch);
                for (int i = 0; i < jobs.size(); i++) {
                    ObjectNode r = results.get(i);
                    if (batch.status(i) != ChecksumBatch.STATUS_DONE) {
                        String why = batch.validate(i);
                        r.put("status", "rejected");
                        r.put("error", "rejected by the engine: " + (why != null ? why : "the block refused it"));
                        continue;
                    }
                    r.put("status", "done");
                    r.put("csum", batch.csum(i));
                    r.put("data", Hex.encode(memory.asSlice(offsets[i], jobs.get(i).data().length)
                            .toArray(ValueLayout.JAVA_BYTE)));
                    if (hardware) {
                        r.put("cycles", batch.cycles(i));
                    }
                }
            }
        }
    }
}
