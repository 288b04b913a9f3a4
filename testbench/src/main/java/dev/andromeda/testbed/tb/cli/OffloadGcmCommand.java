package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.tb.jobs.GcmJob;
import dev.andromeda.testbed.tb.jobs.Hex;
import picocli.CommandLine.Command;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** {@code tb offload gcm}: AES-GCM seal and open through the crypto stage. */
@Command(name = "gcm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "AES-GCM seal and open through the crypto stage (PSP's AES-GCM-128/256; the aes_gcm block in hardware).",
                "",
                "Seal:   {\"id\":\"g1\",\"op\":\"seal\",\"key\":\"<32|64 hex>\",\"iv\":\"<24 hex>\",\"aad\":\"<hex>\",\"pt\":\"<hex>\"}",
                "     -> {\"id\":\"g1\",\"ct\":\"<hex>\",\"tag\":\"<32 hex>\",\"cycles\":<n>}",
                "Open:   {\"id\":\"g2\",\"op\":\"open\",\"key\":..,\"iv\":..,\"aad\":..,\"ct\":\"<hex>\",\"tag\":\"<32 hex>\"}",
                "     -> {\"id\":\"g2\",\"ok\":true,\"pt\":\"<hex>\"} or {\"id\":\"g2\",\"ok\":false}",
                "aad defaults to empty; texts up to 16,384 bytes. cycles only for hardware implementations.",
                "A key that is not 16 or 32 bytes, an IV that is not 12, a tag that is not 16 or bad hex is malformed.",
                ""},
        footer = {"", "Exit status: 0 all jobs done (a failed open is done, ok:false), 3 some jobs rejected, 1 usage or I/O error."})
public final class OffloadGcmCommand extends OffloadJobsCommand<GcmJob, CryptoOffload> {

    @Override
    protected String stage() {
        return "gcm";
    }

    @Override
    protected void checkImplementation(String name) {
        Offloads.provider(CryptoOffloadProvider.class, name);
    }

    @Override
    protected CryptoOffload open(String name, OffloadOptions options) {
        return Offloads.open(CryptoOffloadProvider.class, name, options);
    }

    @Override
    protected GcmJob parse(JsonNode node) {
        return GcmJob.parse(node);
    }

    @Override
    protected void run(CryptoOffload stage, List<GcmJob> jobs, List<ObjectNode> results, boolean hardware) {
        long total = 0;
        for (GcmJob j : jobs) {
            total += j.aad().length + j.text().length + CryptoBatch.TAG_BYTES;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Math.max(total, 1), 64);
            long[] text = new long[jobs.size()];
            long[] tag = new long[jobs.size()];
            try (CryptoBatch batch = new CryptoBatch(jobs.size(), memory)) {
                long at = 0;
                for (int i = 0; i < jobs.size(); i++) {
                    GcmJob j = jobs.get(i);
                    long aad = at;
                    MemorySegment.copy(j.aad(), 0, memory, ValueLayout.JAVA_BYTE, aad, j.aad().length);
                    text[i] = aad + j.aad().length;
                    MemorySegment.copy(j.text(), 0, memory, ValueLayout.JAVA_BYTE, text[i], j.text().length);
                    tag[i] = text[i] + j.text().length;
                    if (j.open()) {
                        MemorySegment.copy(j.tag(), 0, memory, ValueLayout.JAVA_BYTE, tag[i], CryptoBatch.TAG_BYTES);
                    }
                    at = tag[i] + CryptoBatch.TAG_BYTES;
                    batch.add(j.open() ? CryptoBatch.OP_OPEN : CryptoBatch.OP_SEAL, j.key(), j.iv(), aad,
                            j.aad().length, text[i], j.text().length, tag[i]);
                }
                stage.process(batch);
                for (int i = 0; i < jobs.size(); i++) {
                    ObjectNode r = results.get(i);
                    GcmJob j = jobs.get(i);
                    int status = batch.status(i);
                    if (status == CryptoBatch.STATUS_REJECTED || status == CryptoBatch.STATUS_PENDING) {
                        r.put("error", "rejected by the engine: " + batch.validate(i));
                        continue;
                    }
                    String out = Hex.encode(memory.asSlice(text[i], j.text().length).toArray(ValueLayout.JAVA_BYTE));
                    if (!j.open()) {
                        r.put("ct", out);
                        r.put("tag", Hex.encode(batch.tag(i)));
                    } else if (status == CryptoBatch.STATUS_DONE) {
                        r.put("ok", true);
                        r.put("pt", out);
                    } else {
                        r.put("ok", false);
                    }
                    if (hardware) {
                        r.put("cycles", batch.cycles(i));
                    }
                }
            }
        }
    }
}
