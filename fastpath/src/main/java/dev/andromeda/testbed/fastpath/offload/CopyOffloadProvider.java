package dev.andromeda.testbed.fastpath.offload;

/** Service-provider interface of the copy stage. */
public interface CopyOffloadProvider extends OffloadProvider<CopyOffload> {
}
