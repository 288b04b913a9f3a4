/** Per-VM service, least-recently-served scheduling, the floating worker, CPU accounting and counters. */
package dev.andromeda.testbed.coprocessor.sched;
