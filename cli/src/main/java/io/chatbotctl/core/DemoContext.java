package io.chatbotctl.core;

import io.chatbotctl.core.Progress;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the demo's steps share: the directory reports go to, progress, values one step leaves for the next
 * (e.g. the simulator's URL under {@link #ENDPOINT}) and resources closed when the demo ends.
 */
public final class DemoContext implements AutoCloseable {
    /** The simulator's OpenAI base URL, set by the simulator step. */
    public static final String ENDPOINT = "endpoint";

    private final Path reportDir;
    private final Path projectDir;
    private final Progress progress;
    private final Map<String, Object> values = new HashMap<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public DemoContext(Path reportDir, Path projectDir, Progress progress) {
        this.reportDir = reportDir;
        this.projectDir = projectDir;
        this.progress = progress;
    }

    public Path reportDir() {
        return reportDir;
    }

    /** The repository root (where chatbotctl.yaml, manifests/ and evals/ are), or the working directory. */
    public Path projectDir() {
        return projectDir;
    }

    public Progress progress() {
        return progress;
    }

    public void put(String key, Object value) {
        values.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        return (T) values.get(key);
    }

    /** Closed in reverse order when the demo ends, also on failure. */
    public void closeAtEnd(AutoCloseable resource) {
        resources.push(resource);
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception ignored) {
                // best effort: the demo's result is already decided
            }
        }
    }
}
