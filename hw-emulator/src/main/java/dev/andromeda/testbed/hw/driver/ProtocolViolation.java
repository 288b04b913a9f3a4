package dev.andromeda.testbed.hw.driver;

/** A channel broke the valid/ready rules; says which, where and when. */
public final class ProtocolViolation extends RuntimeException {
    private final long cycle;

    public ProtocolViolation(String message, long cycle) {
        super(message + " (cycle " + cycle + ")");
        this.cycle = cycle;
    }

    public long cycle() {
        return cycle;
    }
}
