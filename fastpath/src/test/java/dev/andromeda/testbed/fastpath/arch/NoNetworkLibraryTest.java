package dev.andromeda.testbed.fastpath.arch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path core depends on no network library: a host's physical port over
 * real UDP lives in the transport-netty module, as Netty ships its transports
 * apart from its core. Checked on fastpath's own class path, which is what a
 * user of the core gets.
 */
class NoNetworkLibraryTest {
    @Test
    void nettyIsNotOnTheFastPathsClassPath() {
        for (String name : new String[] {"io.netty.channel.Channel", "io.netty.buffer.ByteBuf",
                "io.netty.channel.epoll.Epoll"}) {
            assertThat(loadable(name)).as(name + " on fastpath's class path").isFalse();
        }
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, NoNetworkLibraryTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
