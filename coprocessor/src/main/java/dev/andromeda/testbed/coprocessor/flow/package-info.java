/** Flow-table misses: the pluggable resolver and the per-VM rate-limited handler. */
package dev.andromeda.testbed.coprocessor.flow;
