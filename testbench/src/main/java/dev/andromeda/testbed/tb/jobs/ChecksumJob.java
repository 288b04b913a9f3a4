package dev.andromeda.testbed.tb.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;

import java.util.Set;

/**
 * One line of a checksum job file:
 * {@code {"id":"j1","data":"<hex>","start":14,"insert":40,"seed":4660,"udp":true}}.
 * {@code start} defaults to 0, {@code insert} to -1 (no insertion), {@code seed} to 0,
 * {@code udp} to false (true: a computed 0 is sent as 0xFFFF, RFC 768).
 *
 * @param id the job's id as written (any JSON value), copied to the result
 */
public record ChecksumJob(JsonNode id, byte[] data, int start, int insert, int seed, boolean udp) {
    private static final Set<String> FIELDS = Set.of("id", "data", "start", "insert", "seed", "udp");

    /**
     * Parses and validates a job.
     *
     * @throws IllegalArgumentException with the reason, for a malformed job
     */
    public static ChecksumJob parse(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a job must be a JSON object");
        }
        JobFields.onlyKnown(node, FIELDS, "id, data, start, insert, seed, udp");
        JsonNode dataNode = node.get("data");
        if (dataNode == null || !dataNode.isTextual()) {
            throw new IllegalArgumentException("'data' must be a hex string");
        }
        byte[] data = Hex.decode("data", dataNode.asText());
        if (data.length > ChecksumBatch.MAX_LENGTH) {
            throw new IllegalArgumentException("'data' is " + data.length + " bytes; the engine takes at most "
                    + ChecksumBatch.MAX_LENGTH);
        }
        int start = JobFields.integer(node, "start", 0, 0, data.length);
        int insert;
        try {
            insert = JobFields.integer(node, "insert", -1, -1, Math.max(-1, data.length - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("outside -1\\.\\.(-?\\d+)",
                    "outside -1 (none) or 0..$1 (two bytes must fit in the data)"));
        }
        int seed = JobFields.integer(node, "seed", 0, 0, 0xFFFF);
        JsonNode udpNode = node.get("udp");
        if (udpNode != null && !udpNode.isBoolean()) {
            throw new IllegalArgumentException("'udp' must be true or false");
        }
        return new ChecksumJob(node.get("id"), data, start, insert, seed, udpNode != null && udpNode.asBoolean());
    }
}
