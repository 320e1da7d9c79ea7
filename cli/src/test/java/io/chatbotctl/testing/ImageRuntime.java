package io.chatbotctl.testing;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container image's Java runtime: the modules of scripts/runtime-modules.txt, cut by scripts/jlink-runtime. */
public final class ImageRuntime {
    public static final Path MODULES = Repository.file("scripts/runtime-modules.txt");
    private static final Path JLINK_SCRIPT = Repository.file("scripts/jlink-runtime");

    private ImageRuntime() {}

    public static Set<String> listedModules() throws IOException {
        return Files.readAllLines(MODULES).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The listed modules and all they require: the modules jlink puts in the runtime. */
    public static Set<String> resolvedModules() throws IOException {
        return Configuration.empty().resolve(ModuleFinder.ofSystem(), ModuleFinder.of(), listedModules()).modules()
                .stream().map(ResolvedModule::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** This JDK's {@code bin/NAME} (jlink, jdeps), or a failure saying how to get it. */
    public static Path jdkTool(String name) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", name);
        assertTrue(Files.isExecutable(tool), tool + " is missing: the tests need a full JDK 17 "
                + "(apt-get install -y openjdk-17-jdk-headless)");
        return tool;
    }

    /** Runs scripts/jlink-runtime, as the Dockerfile does, with this JDK's jlink first on the PATH. */
    public static void jlink(Path output) throws IOException, InterruptedException {
        Path jlink = jdkTool("jlink");
        ProcessBuilder builder = new ProcessBuilder(JLINK_SCRIPT.toString(), output.toString());
        builder.environment().merge("PATH", jlink.getParent().toString(), (path, jdk) -> jdk + ":" + path);
        succeed(builder);
    }

    /** Runs a command to its end and returns what it printed, failing with that when it exits non-zero. */
    public static String succeed(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", builder.command()) + " failed:\n" + said);
        return said;
    }

    /** The classpath of one of the two jars' dependencies, as `mvn package` wrote it (cli/pom.xml). */
    public static List<String> dependencyJars(String scope) throws IOException {
        Path file = Repository.file("cli/target/classpath-" + scope + ".txt");
        assertTrue(Files.isRegularFile(file), file + " is missing: run `mvn -o -DskipTests package` first");
        return List.of(Files.readString(file).strip().split(":"));
    }
}
