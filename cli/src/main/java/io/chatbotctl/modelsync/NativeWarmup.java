package io.chatbotctl.modelsync;

import software.amazon.awssdk.crt.auth.signing.AwsSigner;
import software.amazon.awssdk.crt.checksums.CRC64NVME;

/**
 * Loads aws-crt's native library (its signer and checksums) on a second thread, so that a {@code model} command
 * does not wait for it after parsing its arguments: about 70 ms of a 2-core machine's startup, run alongside.
 */
public final class NativeWarmup {
    private NativeWarmup() {}

    public static void start() {
        Thread thread = new Thread(() -> {
            try {
                CrtRuntime.prepare();
                new CRC64NVME().update(new byte[1], 0, 1);
                Class.forName(AwsSigner.class.getName(), true, NativeWarmup.class.getClassLoader());
            } catch (Throwable ignored) {
                // the command itself loads the library again and reports what went wrong
            }
        }, "crt-warmup");
        thread.setDaemon(true);
        thread.start();
    }
}
