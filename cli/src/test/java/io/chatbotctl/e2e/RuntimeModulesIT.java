package io.chatbotctl.e2e;

import io.chatbotctl.modelsync.S3ProxyJar;
import io.chatbotctl.testing.ImageRuntime;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** scripts/runtime-modules.txt holds every module the code needs, as jdeps finds them and as the JDK loads them. */
class RuntimeModulesIT {
    /** Loaded by java.base where present, not needed (scripts/runtime-modules.txt says why). */
    private static final Set<String> LEFT_OUT = Set.of("jdk.localedata");

    @Test
    void theListHasEveryModuleJdepsFindsInBothJarsDependencies() throws Exception {
        List<String> jars = new ArrayList<>(ImageRuntime.dependencyJars("runtime"));
        jars.addAll(ImageRuntime.dependencyJars("provided"));
        String said = ImageRuntime.succeed(new ProcessBuilder(ImageRuntime.jdkTool("jdeps").toString(), "-q",
                "--ignore-missing-deps", "--print-module-deps", "--multi-release", "17",
                "--class-path", String.join(":", jars), Repository.file("cli/target/classes").toString()));
        List<String> lines = said.strip().lines().toList();
        Set<String> needed = new TreeSet<>(List.of(lines.get(lines.size() - 1).split(",")));

        needed.removeAll(ImageRuntime.listedModules());
        assertEquals(Set.of(), needed, "modules the code needs that " + ImageRuntime.MODULES + " lacks (jdeps said " + said + ")");
    }

    @Test
    void theRuntimeHasEveryModuleTheJdkLoadsWhileTheDockerfileTrains(@TempDir Path work) throws Exception {
        Path log = work.resolve("class-load.log");
        ImageRuntime.succeed(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xlog:class+load=info:file=" + log, "-cp", Repository.file("cli/target/chatbotctl.jar").toString(),
                "io.chatbotctl.cli.Main", "__cds-train", "--native-dir", work.resolve("native").toString(),
                "--s3proxy-jar", Repository.file("cli/target/" + S3ProxyJar.FILE_NAME).toString())
                .directory(Repository.root().toFile()));
        Set<String> loaded = new TreeSet<>();
        Matcher module = Pattern.compile("source: jrt:/([\\w.]+)").matcher(Files.readString(log));
        while (module.find()) {
            loaded.add(module.group(1));
        }

        loaded.removeAll(ImageRuntime.resolvedModules());
        loaded.removeAll(LEFT_OUT);
        assertEquals(Set.of(), loaded, "modules loaded at run time that " + ImageRuntime.MODULES + " lacks");
    }
}
