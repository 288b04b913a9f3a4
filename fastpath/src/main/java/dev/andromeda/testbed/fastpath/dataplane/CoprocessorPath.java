package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.psp.PspStatus;

import java.util.List;

/**
 * The host's side of its {@link Coprocessors}, on the host's thread: frames
 * arriving on the Internet port handed to their VM's coprocessor, and every
 * piece of finished work taken back and sent on -- PSP-sealed packets to the
 * fabric, opened ones through decapsulation to their VM, Internet frames out
 * of the Internet port or in to their VM. Whatever a coprocessor refused is
 * freed and counted.
 */
final class CoprocessorPath implements Coprocessors.Completion {
    private final HostContext ctx;
    private final Runnable sendHairpins;
    private final Pipeline<HostBatch> sealed = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> opened = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> toInternet = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> fromInternet = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final HostBatch cryptoBatch = new HostBatch(HostContext.MAX_BATCH);
    private final HostBatch outBatch = new HostBatch(HostContext.MAX_BATCH);
    private final HostBatch inBatch = new HostBatch(HostContext.MAX_BATCH);
    private final HostBatch received = new HostBatch(HostContext.MAX_BATCH);

    CoprocessorPath(HostContext ctx, Runnable sendHairpins) {
        this.ctx = ctx;
        this.sendHairpins = sendHairpins;
        sealed.addLast("tx", new EgressStages.Transmit(ctx));
        opened.addLast("decap", new IngressStages.Decap(ctx));
        opened.addLast("rx-checksum", new IngressStages.RxChecksum(ctx));
        opened.addLast("deliver", new IngressStages.CopyOutAndDeliver(ctx));
        toInternet.addLast("tx", b -> transmitToInternet(b));
        fromInternet.addLast("rx-checksum", new IngressStages.RxChecksum(ctx));
        fromInternet.addLast("deliver", new IngressStages.CopyOutAndDeliver(ctx));
    }

    List<Pipeline<HostBatch>> pipelines() {
        return List.of(sealed, opened, toInternet, fromInternet);
    }

    int outstanding() {
        return ctx.inFlight.inFlight() + ctx.internetInFlight;
    }

    /** Takes what the Internet port brought and hands each frame to its VM's coprocessor. */
    int receiveFromInternet() {
        if (ctx.internetPort == null) {
            return 0;
        }
        HostBatch b = received;
        b.clear();
        int n = ctx.internetPort.receive(b, ctx.pool);
        if (n == 0) {
            return 0;
        }
        ctx.counters.fromInternet(n);
        for (int i = 0; i < b.size(); i++) {
            if (!ctx.parse(b, i, b.packets.offset[i], b.packets.length[i], true)) {
                continue;
            }
            VirtioNic vm = exposed(b.parsed[i].ipv4Dst());
            if (vm == null) {
                ctx.drop(b, i, Drop.NO_LOCAL_VM);
                continue;
            }
            if (ctx.coprocessors == null) {
                ctx.drop(b, i, Drop.NO_INTERNET_PATH);
                continue;
            }
            if (!ctx.coprocessors.submitInternet(vm.port().port(), false, vm.port().vni(), b.packets.buffer[i],
                    b.packets.offset[i], b.packets.length[i], b.parsed[i])) {
                ctx.drop(b, i, Drop.COPROCESSOR_FULL);
                continue;
            }
            ctx.internetInFlight++;
            b.kill(i); // the buffer travels with the item
        }
        return n;
    }

    private VirtioNic exposed(int address) {
        VirtioNic v = ctx.internetExposedByAddress.get(address);
        return v != null && ctx.vm(v.port().port()) == v ? v : null; // still plugged here
    }

    /**
     * Takes back whatever the coprocessors finished. Asked every turn, even with nothing of ours
     * out: a flow miss's answer comes back the same way and must not sit in its ring.
     */
    int drain() {
        if (ctx.coprocessors == null) {
            return 0;
        }
        outBatch.clear();
        inBatch.clear();
        int n = ctx.coprocessors.drain(this);
        flushInternet();
        return n;
    }

    @Override
    public void crypto(int token, boolean ok) {
        CryptoInFlight.Unit u = ctx.inFlight.get(token);
        HostBatch b = cryptoBatch;
        b.clear();
        for (int k = 0; k < u.n; k++) {
            int i = b.add(u.buffer[k], u.offset[k], u.length[k], HostBatch.NO_CSUM, 0);
            if (u.seal) {
                if (!ok || ctx.psp.transport.completeSeal(u.batch, u.descriptor[k]) != PspStatus.OK) {
                    ctx.drop(b, i, Drop.PSP_SEAL_FAILED);
                }
                continue;
            }
            IngressStages.finishOpen(ctx, b, i, u.batch, u.descriptor[k], ok);
        }
        boolean seal = u.seal;
        ctx.inFlight.release(u);
        if (seal) {
            sealed.process(b);
        } else {
            opened.process(b);
            if (ctx.port != null) {
                sendHairpins.run(); // a hoverboard forwards what it opened
            }
        }
    }

    @Override
    public void internet(int vmPort, boolean egress, boolean passed, int buffer, long offset, int length) {
        ctx.internetInFlight--;
        if (!passed) {
            ctx.counters.drop(Drop.INTERNET_REFUSED);
            ctx.pool.free(buffer);
            return;
        }
        HostBatch b = egress ? outBatch : inBatch;
        if (b.size() == HostContext.MAX_BATCH) {
            flushInternet();
        }
        int i = b.add(buffer, offset, length, HostBatch.NO_CSUM, 0);
        if (!egress) {
            b.vmPort[i] = vmPort;
            ctx.parse(b, i, offset, length, false);
        }
    }

    private void flushInternet() {
        if (outBatch.size() > 0) {
            toInternet.process(outBatch);
            outBatch.clear();
        }
        if (inBatch.size() > 0) {
            fromInternet.process(inBatch);
            inBatch.clear();
        }
    }

    private void transmitToInternet(HostBatch b) {
        int live = b.live();
        if (ctx.internetPort == null) {
            for (int i = 0; i < b.size(); i++) {
                if (!b.dead[i]) {
                    ctx.drop(b, i, Drop.NO_INTERNET_PATH);
                }
            }
            return;
        }
        int sent = ctx.internetPort.transmit(b, ctx.pool);
        ctx.counters.toInternet(sent);
        for (int k = sent; k < live; k++) {
            ctx.counters.drop(Drop.PORT_FULL);
        }
    }
}
