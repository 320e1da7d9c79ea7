package io.chatbotctl.core.archfixture;

import io.chatbotctl.cli.Output;

/** A deliberately wrong import (core reaching up to cli), for ArchitectureTest's self-check. Not used elsewhere. */
public final class ImportsUpward {
    public static Class<?> upward() {
        return Output.class;
    }
}
