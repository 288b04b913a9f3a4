package dev.andromeda.testbed.fastpath.offload;

/** Service-provider interface of the checksum stage. */
public interface ChecksumOffloadProvider extends OffloadProvider<ChecksumOffload> {
}
