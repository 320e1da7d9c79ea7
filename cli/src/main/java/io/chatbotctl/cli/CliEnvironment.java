package io.chatbotctl.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may read from the process around it. Tests pass their own, so environment variables,
 * the working directory and standard input are never global state.
 *
 * @param variables   environment variables
 * @param workingDir  directory relative paths resolve against
 * @param in          standard input (answers to questions)
 * @param interactive whether a person is at a terminal (live progress, questions)
 */
public record CliEnvironment(Map<String, String> variables, Path workingDir, InputStream in, boolean interactive) {

    public static CliEnvironment system() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        return new CliEnvironment(System.getenv(), Path.of("").toAbsolutePath(), System.in,
                System.console() != null && !ci);
    }

    public String variable(String name) {
        return variables.get(name);
    }
}
