/**
 * The coprocessors plugged into a host's dataplane: {@link dev.andromeda.testbed.coprocessor.host.HostCoprocessors}
 * takes the host's PSP crypto work (while its crypto stage is software) onto the pool's floating
 * workers, one service per VM plus one for the host itself.
 */
package dev.andromeda.testbed.coprocessor.host;
