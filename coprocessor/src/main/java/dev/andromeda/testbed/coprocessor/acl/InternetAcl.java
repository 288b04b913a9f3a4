package dev.andromeda.testbed.coprocessor.acl;

import dev.andromeda.testbed.coprocessor.ring.Direction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A VM's allow/deny rules for traffic to and from the Internet: first matching rule wins, no match
 * takes the default. Rules are replaced whole from a control thread while coprocessors read them:
 * {@link #replace} builds a new struct-of-arrays snapshot off the hot path and publishes it with a
 * store-release; {@link #allows} reads it with one load-acquire into a local and scans flat int
 * arrays, lock-free and allocation-free.
 */
public final class InternetAcl {
    private static final VarHandle RULES;

    static {
        try {
            RULES = MethodHandles.lookup().findVarHandle(InternetAcl.class, "rules", Rules.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Immutable once published. Bit 0 of flags: allow; bit 1: ingress; bit 2: egress. */
    private record Rules(int[] network, int[] mask, int[] portLow, int[] portHigh, int[] protocol, int[] flags,
                         boolean defaultAllow, List<AclRule> source) {
    }

    @SuppressWarnings("unused") // through RULES
    private Rules rules;

    public InternetAcl(List<AclRule> rules, boolean defaultAllow) {
        replace(rules, defaultAllow);
    }

    /** Installs a new rule list (cold path, any thread); coprocessors see it from their next lookup. */
    public void replace(List<AclRule> list, boolean defaultAllow) {
        int n = list.size();
        int[] network = new int[n];
        int[] mask = new int[n];
        int[] low = new int[n];
        int[] high = new int[n];
        int[] protocol = new int[n];
        int[] flags = new int[n];
        for (int i = 0; i < n; i++) {
            AclRule r = list.get(i);
            mask[i] = Ipv4.mask(r.prefixLength());
            network[i] = r.network() & mask[i];
            low[i] = r.portLow();
            high[i] = r.portHigh();
            protocol[i] = r.protocol();
            flags[i] = (r.allow() ? 1 : 0) | (r.ingress() ? 2 : 0) | (r.egress() ? 4 : 0);
        }
        // Store-release: the arrays' contents are visible to whoever loads the reference with acquire.
        RULES.setRelease(this, new Rules(network, mask, low, high, protocol, flags, defaultAllow, List.copyOf(list)));
    }

    /**
     * Whether traffic passes: on ingress {@code remoteIp} is the source, on egress the destination;
     * {@code dstPort} is the packet's destination port; {@code protocol} its IP protocol.
     */
    public boolean allows(Direction direction, int remoteIp, int dstPort, int protocol) {
        Rules r = (Rules) RULES.getAcquire(this);
        final int[] network = r.network;
        final int[] mask = r.mask;
        final int[] flags = r.flags;
        final int directionBit = direction == Direction.INGRESS ? 2 : 4;
        for (int i = 0; i < network.length; i++) {
            if ((flags[i] & directionBit) != 0
                    && (remoteIp & mask[i]) == network[i]
                    && dstPort >= r.portLow[i] && dstPort <= r.portHigh[i]
                    && (r.protocol[i] == AclRule.ANY_PROTOCOL || r.protocol[i] == protocol)) {
                return (flags[i] & 1) != 0;
            }
        }
        return r.defaultAllow;
    }

    /** The rules in force. */
    public List<AclRule> rules() {
        return ((Rules) RULES.getAcquire(this)).source;
    }

    public boolean defaultAllow() {
        return ((Rules) RULES.getAcquire(this)).defaultAllow;
    }
}
