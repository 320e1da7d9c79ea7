package io.chatbotctl.core.vllm;

/**
 * One vLLM command-line flag of a catalog.
 *
 * @param name        e.g. {@code --max-num-seqs}; a {@code bool} flag also takes the {@code --no-} form
 * @param type        string, int, float or bool
 * @param defaultValue the default the source states, or null when it does not (or it depends on the hardware)
 * @param deprecated  vLLM warns when it is used
 * @param removed     vLLM no longer accepts it and stops at startup
 * @param replacement what to pass instead, for a removed or deprecated flag
 * @param note        anything else the source says
 * @param source      key of the catalog's {@code sources}
 */
public record CatalogFlag(String name, String type, String defaultValue, boolean deprecated, boolean removed,
                          String replacement, String note, String source) {

    /** Whether {@code flag} (without a value, e.g. {@code --no-enable-prefix-caching}) names this flag. */
    public boolean matches(String flag) {
        return flag.equals(name) || (type.equals("bool") && flag.equals("--no-" + name.substring(2)));
    }
}
