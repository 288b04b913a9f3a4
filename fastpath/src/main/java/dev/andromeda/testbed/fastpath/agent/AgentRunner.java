package dev.andromeda.testbed.fastpath.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    private static final VarHandle CYCLES;
    private static final VarHandle WORK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CYCLES = l.findVarHandle(AgentRunner.class, "cycles", long.class);
            WORK = l.findVarHandle(AgentRunner.class, "work", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the loop's thread only, with opaque stores (a plain store on x86): a volatile
    // store would put a locked instruction into every duty cycle, which Agrona's runner avoids
    // too. Readers use opaque loads and see a recent value.
    private long cycles;
    private long work;

    /** A runner whose thread is named after the agent's {@link Agent#roleName()}. */
    public AgentRunner(Agent agent, IdleStrategy idle) {
        this(agent.roleName(), agent, idle);
    }

    public AgentRunner(String threadName, Agent agent, IdleStrategy idle) {
        this.agent = agent;
        this.idle = idle;
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /** Starts the loop; returns this. */
    public AgentRunner start() {
        thread.start();
        return this;
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
                CYCLES.setOpaque(this, cycles + 1); // single writer: this thread
                WORK.setOpaque(this, this.work + work);
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

    /** Duty cycles run so far. */
    public long cycles() {
        return (long) CYCLES.getOpaque(this);
    }

    /** Work the agent reported so far. */
    public long work() {
        return (long) WORK.getOpaque(this);
    }

    public boolean isRunning() {
        return thread.isAlive();
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
