package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;

/**
 * Whether S3Proxy, which {@link EmbeddedS3} runs, is on the classpath. chatbotctl.jar leaves it out (it is 30 MB that
 * only the demo, {@code model serve-s3} and the CDS training use); chatbotctl-s3proxy.jar beside it carries it, and
 * the launcher adds that jar for those commands.
 *
 * @param probeClass a class of S3Proxy's; tests name one that does not exist to play its absence
 */
public record S3ProxyJar(String probeClass) {
    public static final String FILE_NAME = "chatbotctl-s3proxy.jar";
    public static final S3ProxyJar ON_CLASSPATH = new S3ProxyJar("org.gaul.s3proxy.S3Proxy");

    public boolean present() {
        try {
            Class.forName(probeClass, false, S3ProxyJar.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @throws ExternalSystemException (exit 4: the embedded S3 cannot be started) when S3Proxy is not there */
    public void require() {
        if (!present()) {
            throw new ExternalSystemException(missing(), howToGetIt());
        }
    }

    public static String missing() {
        return "the embedded S3 needs S3Proxy, which is not on the classpath (" + FILE_NAME + " is missing)";
    }

    public static String howToGetIt() {
        return "./chatbotctl builds cli/target/" + FILE_NAME + " and adds it for demo and model serve-s3; "
                + "the container image leaves it out (its with-s3proxy target has it)";
    }
}
