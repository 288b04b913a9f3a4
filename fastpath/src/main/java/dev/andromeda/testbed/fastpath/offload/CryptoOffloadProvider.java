package dev.andromeda.testbed.fastpath.offload;

/** Service-provider interface of the crypto (AES-GCM) stage. */
public interface CryptoOffloadProvider extends OffloadProvider<CryptoOffload> {
}
