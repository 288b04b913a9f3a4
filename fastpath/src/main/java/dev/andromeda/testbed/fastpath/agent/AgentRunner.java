package dev.andromeda.testbed.fastpath.agent;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an {@link Agent} on its own named thread: duty cycle, idle strategy,
 * repeat, until closed. An exception from the agent stops the loop and is kept
 * ({@link #failure()}), never swallowed.
 */
public final class AgentRunner implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long cycles;
    private volatile long work;

    public AgentRunner(String name, Agent agent, IdleStrategy idle) {
        thread = new Thread(() -> {
            try {
                while (running) {
                    int w = agent.doWork();
                    cycles++; // single writer
                    work += w;
                    idle.idle(w);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts the loop; returns this. */
    public AgentRunner start() {
        thread.start();
        return this;
    }

    public long cycles() {
        return cycles;
    }

    public long work() {
        return work;
    }

    /** What stopped the loop, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the loop and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop within 10 s");
        }
    }
}
