import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;

import java.nio.file.Path;

/**
 * Render time inside one JVM: the first render (class loading, no JIT) and the median of warm renders of
 * the same overlay, YAML text included. Usage: java -cp cli/target/chatbotctl.jar bench/RenderWarm.java DIR [N]
 */
public class RenderWarm {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long start = System.nanoTime();
        ManifestRenderer.render(dir, RenderOptions.none()).yaml();
        double firstMillis = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < n; i++) {
            ManifestRenderer.render(dir, RenderOptions.none()).yaml();
        }
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            ManifestRenderer.render(dir, RenderOptions.none()).yaml();
            millis[i] = (System.nanoTime() - t) / 1e6;
        }
        java.util.Arrays.sort(millis);
        System.out.printf(java.util.Locale.ROOT, "%.1f %.2f%n", firstMillis, millis[n / 2]);
    }
}
