package io.chatbotctl.modelsync;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Which relative paths a sync takes: every path matching an {@code --include} glob (all when there is none) and
 * no {@code --exclude} glob. Globs are {@link java.nio.file.FileSystem#getPathMatcher glob} patterns on the path
 * relative to the prefix; {@code **} crosses directories.
 */
public final class KeyFilter {
    /**
     * vLLM's own download ignore patterns: the original (consolidated) PyTorch checkpoint Meta ships beside the
     * Hugging Face safetensors, which vLLM never loads; turned off by {@code --no-default-excludes}.
     */
    public static final List<String> DEFAULT_EXCLUDES = List.of("original/**");

    private final List<PathMatcher> includes = new ArrayList<>();
    private final List<PathMatcher> excludes = new ArrayList<>();

    public KeyFilter(List<String> includeGlobs, List<String> excludeGlobs, boolean defaultExcludes) {
        for (String glob : includeGlobs) {
            includes.add(matcher(glob));
        }
        List<String> all = new ArrayList<>(excludeGlobs);
        if (defaultExcludes) {
            all.addAll(DEFAULT_EXCLUDES);
        }
        for (String glob : all) {
            excludes.add(matcher(glob));
        }
    }

    public static KeyFilter all() {
        return new KeyFilter(List.of(), List.of(), false);
    }

    public boolean accepts(String relativePath) {
        Path path = Path.of(relativePath);
        if (!includes.isEmpty() && includes.stream().noneMatch(m -> m.matches(path))) {
            return false;
        }
        return excludes.stream().noneMatch(m -> m.matches(path));
    }

    private static PathMatcher matcher(String glob) {
        PathMatcher direct = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // "original/**" should also match a file directly in original/, and "*.json" a file in any directory.
        PathMatcher nested = glob.contains("/") ? direct : FileSystems.getDefault().getPathMatcher("glob:**/" + glob);
        return p -> direct.matches(p) || nested.matches(p);
    }
}
