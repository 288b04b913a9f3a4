package dev.andromeda.testbed.tb.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

import java.util.Set;

/**
 * One line of a GCM job file:
 * seal {@code {"id":"g1","op":"seal","key":"<32|64 hex>","iv":"<24 hex>","aad":"<hex>","pt":"<hex>"}},
 * open {@code {"id":"g2","op":"open","key":..,"iv":..,"aad":..,"ct":"<hex>","tag":"<32 hex>"}}.
 * {@code aad} defaults to empty.
 *
 * @param text the plaintext (seal) or ciphertext (open)
 * @param tag  null for seal
 */
public record GcmJob(JsonNode id, boolean open, byte[] key, byte[] iv, byte[] aad, byte[] text, byte[] tag) {
    private static final Set<String> SEAL = Set.of("id", "op", "key", "iv", "aad", "pt");
    private static final Set<String> OPEN = Set.of("id", "op", "key", "iv", "aad", "ct", "tag");

    public static GcmJob parse(JsonNode node) {
        JsonNode op = node.get("op");
        if (op == null || !op.isTextual() || !(op.asText().equals("seal") || op.asText().equals("open"))) {
            throw new IllegalArgumentException("'op' must be \"seal\" or \"open\"");
        }
        boolean open = op.asText().equals("open");
        JobFields.onlyKnown(node, open ? OPEN : SEAL, open ? "id, op, key, iv, aad, ct, tag" : "id, op, key, iv, aad, pt");
        byte[] key = JobFields.hex(node, "key", null);
        JobFields.length("key", key, 16, 32);
        byte[] iv = JobFields.hex(node, "iv", null);
        JobFields.length("iv", iv, CryptoBatch.IV_BYTES);
        byte[] aad = JobFields.hex(node, "aad", new byte[0]);
        JobFields.atMost("aad", aad, CryptoBatch.MAX_AAD);
        byte[] text = JobFields.hex(node, open ? "ct" : "pt", null);
        JobFields.atMost(open ? "ct" : "pt", text, CryptoBatch.MAX_TEXT);
        byte[] tag = null;
        if (open) {
            tag = JobFields.hex(node, "tag", null);
            JobFields.length("tag", tag, CryptoBatch.TAG_BYTES);
        }
        return new GcmJob(node.get("id"), open, key, iv, aad, text, tag);
    }
}
