/**
 * The host side of the control plane beyond programming: what the host's dataplane tells its
 * controller over the programming stream -- per-flow usage for offload decisions
 * ({@link dev.andromeda.testbed.control.host.UsageReporter}) and flow misses for on-demand
 * programming ({@link dev.andromeda.testbed.control.host.MissReporter}).
 */
package dev.andromeda.testbed.control.host;
