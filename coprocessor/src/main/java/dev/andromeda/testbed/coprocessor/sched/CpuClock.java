package dev.andromeda.testbed.coprocessor.sched;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The clock that measures a VM's service slice. By default the current thread's CPU time
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}, CLOCK_THREAD_CPUTIME_ID on Linux): time the worker
 * was descheduled is not billed to the VM. Where the JVM cannot give thread CPU time it falls
 * back to {@link System#nanoTime()} and says so in its {@link #name()}.
 *
 * @param name  what is measured, for reports
 * @param clock nanoseconds, read on the thread being measured
 */
public record CpuClock(String name, LongSupplier clock) {
    public static final String THREAD_CPU_TIME = "thread-cpu-time";
    public static final String WALL_FALLBACK = "wall-nanoTime (thread CPU time unsupported)";

    /** Thread CPU time when this JVM supports it, else wall time. */
    public static CpuClock threadCpuTime() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean.isCurrentThreadCpuTimeSupported()) {
            try {
                if (!bean.isThreadCpuTimeEnabled()) {
                    bean.setThreadCpuTimeEnabled(true);
                }
                if (bean.getCurrentThreadCpuTime() >= 0) {
                    return new CpuClock(THREAD_CPU_TIME, bean::getCurrentThreadCpuTime);
                }
            } catch (UnsupportedOperationException | SecurityException e) {
                // fall through to wall time
            }
        }
        return new CpuClock(WALL_FALLBACK, System::nanoTime);
    }

    public long now() {
        return clock.getAsLong();
    }
}
