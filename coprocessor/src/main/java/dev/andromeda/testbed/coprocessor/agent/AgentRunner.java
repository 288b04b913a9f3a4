package dev.andromeda.testbed.coprocessor.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link Agent} on its own platform thread: duty cycle, then the idle strategy, until
 * {@link #close()}. An exception from a duty cycle is counted and kept (the last one), and the
 * loop goes on, as Agrona's runner does: one bad packet must not stop a coprocessor.
 * {@code close()} stops the loop and joins the thread; the agent's {@code onClose} runs on it.
 */
public final class AgentRunner implements AutoCloseable {
    private final Agent agent;
    private final IdleStrategy idle;
    private final Thread thread;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    public AgentRunner(Agent agent, IdleStrategy idle) {
        this.agent = agent;
        this.idle = idle;
        this.thread = Thread.ofPlatform().name(agent.roleName()).daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                int work;
                try {
                    work = agent.doWork();
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    lastError.set(e);
                    work = 0;
                }
                idle.idle(work);
            }
        } finally {
            agent.onClose();
        }
    }

    /** Duty cycles that threw. */
    public long errors() {
        return errors.get();
    }

    public Throwable lastError() {
        return lastError.get();
    }

    public Thread thread() {
        return thread;
    }

    /** Stops the loop and waits for the thread; idempotent. */
    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            java.util.concurrent.locks.LockSupport.unpark(thread);
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
