package dev.andromeda.testbed.tb.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.andromeda.testbed.fastpath.offload.CopyBatch;

import java.util.Set;

/**
 * One line of a copy job file: {@code {"id":"c1","data":"<hex>","srcOffset":0,"dstOffset":5}}.
 * The data is placed at a source misaligned by {@code srcOffset} bytes from a
 * 64-byte boundary and copied to a destination misaligned by {@code dstOffset}.
 */
public record CopyJob(JsonNode id, byte[] data, int srcOffset, int dstOffset) {
    private static final Set<String> FIELDS = Set.of("id", "data", "srcOffset", "dstOffset");

    public static CopyJob parse(JsonNode node) {
        JobFields.onlyKnown(node, FIELDS, "id, data, srcOffset, dstOffset");
        byte[] data = JobFields.hex(node, "data", null);
        JobFields.atMost("data", data, CopyBatch.MAX_LENGTH);
        int src = JobFields.integer(node, "srcOffset", 0, 0, 63);
        int dst = JobFields.integer(node, "dstOffset", 0, 0, 63);
        return new CopyJob(node.get("id"), data, src, dst);
    }
}
