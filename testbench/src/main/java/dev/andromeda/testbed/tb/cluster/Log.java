package dev.andromeda.testbed.tb.cluster;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** A process's log: one line per state change on standard error, with the time and who says it. */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final String who;

    public Log(String who) {
        this.who = who;
    }

    public synchronized void say(String what) {
        System.err.println(LocalTime.now().format(TIME) + " " + who + ": " + what);
        System.err.flush();
    }
}
