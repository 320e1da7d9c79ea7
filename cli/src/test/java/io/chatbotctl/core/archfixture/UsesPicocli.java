package io.chatbotctl.core.archfixture;

import picocli.CommandLine;

/** picocli outside cli, deliberately, for ArchitectureTest's self-check. Not used elsewhere. */
public final class UsesPicocli {
    public static Class<?> parser() {
        return CommandLine.class;
    }
}
