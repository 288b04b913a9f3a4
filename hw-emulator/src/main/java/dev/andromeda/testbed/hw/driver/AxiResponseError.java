package dev.andromeda.testbed.hw.driver;

/** A slave answered a read or a write with SLVERR or DECERR: which access, which code, when. */
public final class AxiResponseError extends RuntimeException {
    private final long address;
    private final int resp;
    private final long cycle;

    public AxiResponseError(String interfaceName, boolean write, long address, int resp, long cycle) {
        super(interfaceName + ": " + (write ? "write to" : "read of") + " 0x" + Long.toHexString(address)
                + " answered " + AxiResp.name(resp) + " (" + resp + ") at cycle " + cycle);
        this.address = address;
        this.resp = resp;
        this.cycle = cycle;
    }

    public long address() {
        return address;
    }

    /** The response code ({@link AxiResp#SLVERR} or {@link AxiResp#DECERR}). */
    public int resp() {
        return resp;
    }

    public long cycle() {
        return cycle;
    }
}
