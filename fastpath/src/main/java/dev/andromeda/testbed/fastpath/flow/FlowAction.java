package dev.andromeda.testbed.fastpath.flow;

/**
 * What the fast path does with a flow's packets, packed in an {@code int} so
 * the flow table keeps its actions in one flat array:
 *
 * <pre>
 *  31      24 23                                0
 * +----------+-----------------------------------+
 * |   kind   |  argument (24 bits)               |
 * +----------+-----------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link #DELIVER}: to the local VM whose port is the argument;</li>
 *   <li>{@link #ENCAP_HOST}: GENEVE to the host whose index in the host table is the argument;</li>
 *   <li>{@link #ENCAP_DEFAULT}: GENEVE to a hoverboard (the default route), chosen by flow hash;</li>
 *   <li>{@link #INTERNET}: to the Internet through the VM's coprocessor (ACL, WAN shaping) and the
 *       host's Internet port;</li>
 *   <li>{@link #DROP}: dropped and counted.</li>
 * </ul>
 */
public final class FlowAction {
    public static final int DROP = 0;
    public static final int DELIVER = 1;
    public static final int ENCAP_HOST = 2;
    public static final int ENCAP_DEFAULT = 3;
    public static final int INTERNET = 4;

    private static final int ARG_MASK = 0xFFFFFF;

    private FlowAction() {
    }

    public static int deliver(int vmPort) {
        return pack(DELIVER, vmPort);
    }

    public static int encapToHost(int hostIndex) {
        return pack(ENCAP_HOST, hostIndex);
    }

    public static int encapDefault() {
        return pack(ENCAP_DEFAULT, 0);
    }

    public static int internet() {
        return pack(INTERNET, 0);
    }

    public static int drop() {
        return pack(DROP, 0);
    }

    public static int kind(int action) {
        return action >>> 24;
    }

    public static int argument(int action) {
        return action & ARG_MASK;
    }

    private static int pack(int kind, int arg) {
        if (arg < 0 || arg > ARG_MASK) {
            throw new IllegalArgumentException("action argument must fit in 24 bits: " + arg);
        }
        return kind << 24 | arg;
    }

    public static String toString(int action) {
        return switch (kind(action)) {
            case DROP -> "drop";
            case DELIVER -> "deliver(vm port " + argument(action) + ")";
            case ENCAP_HOST -> "encap(host " + argument(action) + ")";
            case ENCAP_DEFAULT -> "encap(default route)";
            case INTERNET -> "internet";
            default -> "unknown(" + Integer.toHexString(action) + ")";
        };
    }
}
