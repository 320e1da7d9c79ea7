package io.chatbotctl.core;

/** Built-in defaults that packages on one floor share (chatbotctl.yaml overrides them). */
public final class Defaults {
    /** The project's served model name (chatbotctl.yaml {@code model}, vLLM {@code --served-model-name}). */
    public static final String MODEL = "llama-3.1-8b-instruct";

    private Defaults() {
    }
}
