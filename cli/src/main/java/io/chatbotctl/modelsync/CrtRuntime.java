package io.chatbotctl.modelsync;

import java.io.File;

/** Settles what aws-crt would otherwise find out by running {@code ldd --version} at load (a quarter second). */
final class CrtRuntime {
    private static final String LIBC = "aws.crt.libc";

    private CrtRuntime() {}

    static void prepare() {
        if (System.getProperty(LIBC) == null) {
            String[] musl = new File("/lib").list((dir, name) -> name.startsWith("ld-musl-"));
            System.setProperty(LIBC, musl != null && musl.length > 0 ? "musl" : "glibc");
        }
    }
}
