package dev.andromeda.testbed.fastpath.dataplane;

/**
 * "parse": each live frame through the parser -- a VM's frame on egress (it
 * must be IPv4, which this dataplane routes), the outer frame on ingress (any
 * well-formed frame; decapsulation checks what it carries).
 */
final class ParseStage extends HostStage {
    private final boolean requireIpv4;

    ParseStage(HostContext host, boolean requireIpv4) {
        super(host);
        this.requireIpv4 = requireIpv4;
    }

    @Override
    public void process(HostBatch b) {
        for (int i = 0; i < b.size(); i++) {
            if (!b.dead[i]) {
                host.parse(b, i, b.packets.offset[i], b.packets.length[i], requireIpv4);
            }
        }
    }
}
