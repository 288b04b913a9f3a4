package dev.andromeda.testbed.tb.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.andromeda.testbed.tb.report.Words;

import java.util.Iterator;
import java.util.Set;

/** Field checks shared by the job parsers; every message names the field. */
public final class JobFields {
    private JobFields() {
    }

    /** Rejects fields not in {@code allowed}, naming the allowed ones. */
    public static void onlyKnown(JsonNode node, Set<String> allowed, String list) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (fields: " + list + ")");
            }
        }
    }

    /** A hex field; {@code dflt} when absent (null: required). */
    public static byte[] hex(JsonNode node, String field, byte[] dflt) {
        JsonNode v = node.get(field);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException("'" + field + "' is missing");
            }
            return dflt;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a hex string");
        }
        return Hex.decode(field, v.asText());
    }

    /** An integer field within [min, max]; {@code dflt} when absent. */
    public static int integer(JsonNode node, String field, int dflt, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer, was " + v);
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw new IllegalArgumentException("'" + field + "' is " + i + ", outside " + min + ".." + max);
        }
        return i;
    }

    /** Fails unless the byte array's length is one of the allowed ones. */
    public static void length(String field, byte[] value, int... allowed) {
        for (int a : allowed) {
            if (value.length == a) {
                return;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < allowed.length; i++) {
            b.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append(allowed[i]);
        }
        throw new IllegalArgumentException("'" + field + "' is " + Words.count(value.length, "byte") + "; it must be "
                + b + " bytes");
    }

    public static void atMost(String field, byte[] value, int max) {
        if (value.length > max) {
            throw new IllegalArgumentException("'" + field + "' is " + value.length + " bytes; at most " + max);
        }
    }
}
