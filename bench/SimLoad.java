// A small closed-loop load driver for bench/sim.sh: N concurrent streamed chat completions against an OpenAI base
// URL, on the JDK's HTTP client only (run with `java bench/SimLoad.java`). Prints one JSON line of results:
// completions/s, tokens/s, and the inter-token latency (mean gap of each stream) and TTFT percentiles as a client sees them.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

public class SimLoad {
    record Result(double ttftMillis, double itlMillis, int tokens) {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int concurrency = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int maxTokens = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(2)).build();
        String body = "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Where is my order?\"}],\"max_tokens\":" + maxTokens + ",\"stream\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/chat/completions"))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            next(client, request, results, errors, end, done);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        double[] itl = results.stream().mapToDouble(Result::itlMillis).filter(v -> v >= 0).sorted().toArray();
        double[] ttft = results.stream().mapToDouble(Result::ttftMillis).sorted().toArray();
        long tokens = results.stream().mapToLong(Result::tokens).sum();
        System.out.printf(java.util.Locale.ROOT,
                "{\"concurrency\":%d,\"seconds\":%.1f,\"completions\":%d,\"errors\":%d,\"completions_per_s\":%.1f,"
                        + "\"tokens_per_s\":%.0f,\"itl_mean_ms\":%.2f,\"itl_p50_ms\":%.2f,\"itl_p99_ms\":%.2f,"
                        + "\"ttft_p50_ms\":%.1f,\"ttft_p99_ms\":%.1f}%n",
                concurrency, elapsed, results.size(), errors.get(), results.size() / elapsed, tokens / elapsed,
                Arrays.stream(itl).average().orElse(-1), pct(itl, 0.5), pct(itl, 0.99), pct(ttft, 0.5), pct(ttft, 0.99));
        System.exit(0);
    }

    static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    static void next(HttpClient client, HttpRequest request, ConcurrentLinkedQueue<Result> results, AtomicLong errors,
                     long end, CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            done.complete(null);
            return;
        }
        long sent = System.nanoTime();
        long[] times = new long[2];
        int[] count = {0};
        client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
            public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
            public void onNext(String line) {
                if (line.startsWith("data: {") && (line.contains("\"content\":\"") && !line.contains("\"role\""))) {
                    long now = System.nanoTime();
                    if (count[0]++ == 0) times[0] = now;
                    times[1] = now;
                }
            }
            public void onError(Throwable t) { }
            public void onComplete() { }
        })).whenComplete((r, t) -> {
            if (t != null || r.statusCode() != 200 || count[0] == 0) {
                errors.incrementAndGet();
            } else {
                results.add(new Result((times[0] - sent) / 1e6,
                        count[0] > 1 ? (times[1] - times[0]) / 1e6 / (count[0] - 1) : -1, count[0]));
            }
            next(client, request, results, errors, end, done);
        });
    }
}
