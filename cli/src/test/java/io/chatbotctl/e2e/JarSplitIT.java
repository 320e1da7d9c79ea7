package io.chatbotctl.e2e;

import io.chatbotctl.modelsync.S3ProxyJar;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build's two jars: chatbotctl.jar without S3Proxy and Jetty, chatbotctl-s3proxy.jar with them and nothing of the first. */
class JarSplitIT {
    private static final Set<String> S3PROXY_ONLY = Set.of("org/gaul/s3proxy/", "org/eclipse/jetty/", "org/jclouds/");

    @Test
    void theProductJarLeavesS3ProxyToTheSecondJarAndNoClassIsInBoth() throws IOException {
        Set<String> product = classes(Repository.file("cli/target/chatbotctl.jar"));
        Set<String> s3proxy = classes(Repository.file("cli/target/" + S3ProxyJar.FILE_NAME));

        for (String prefix : S3PROXY_ONLY) {
            assertFalse(product.stream().anyMatch(c -> c.startsWith(prefix)), "chatbotctl.jar has " + prefix);
            assertTrue(s3proxy.stream().anyMatch(c -> c.startsWith(prefix)), "chatbotctl-s3proxy.jar lacks " + prefix);
        }
        Set<String> inBoth = new TreeSet<>(product);
        inBoth.retainAll(s3proxy);
        assertEquals(Set.of(), inBoth, "classes in both jars (exclude their artifact in cli/src/assembly/s3proxy.xml)");
    }

    private static Set<String> classes(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
