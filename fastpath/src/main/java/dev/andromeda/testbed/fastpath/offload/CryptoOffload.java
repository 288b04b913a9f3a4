package dev.andromeda.testbed.fastpath.offload;

/**
 * The crypto stage: AES-GCM seal and open as PSP uses them -- the JDK's
 * {@code AES/GCM/NoPadding} in software, the {@code aes_gcm} block in hardware.
 */
public interface CryptoOffload extends OffloadStage {

    /** Completes every pending descriptor; invalid ones are rejected, failed opens marked. */
    void process(CryptoBatch batch);
}
