package io.chatbotctl.canary;

import io.chatbotctl.core.RetryPolicy;
import io.chatbotctl.prometheus.LocalPrometheus;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.Progress;
import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.Simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's canary analysis: a healthy simulator as stable, one with twice the prefill time as canary, traffic
 * from the load-test engine, the real Prometheus scraping both, and one dry-run interval of the built-in analysis
 * (short windows). Without {@code /usr/bin/prometheus} it is skipped, with the command that installs it.
 */
public final class CanaryDemoStep implements DemoStep {
    static final String MODEL = "llama";

    /** Both tracks answer more than one request a second (the catalog-linted query of the warm-up wait). */
    static final String WARM_QUERY = "sum by (track) (rate(vllm:time_to_first_token_seconds_count[8s])) > 1";

    @Override
    public String title() {
        return "canary analysis";
    }

    @Override
    public String run(DemoContext context) throws Exception {
        if (!LocalPrometheus.installed()) {
            throw new io.chatbotctl.core.DemoStepSkipped(LocalPrometheus.BINARY + " is not installed (the analysis needs a "
                    + "real Prometheus)", "sudo apt-get install -y prometheus, then ./chatbotctl demo");
        }
        Progress progress = context.progress();
        Simulator stable = Simulator.start(sim(Duration.ofSeconds(5)));
        context.closeAtEnd(stable);
        Simulator canary = Simulator.start(sim(Duration.ofSeconds(10)));
        context.closeAtEnd(canary);
        LocalPrometheus prometheus = LocalPrometheus.start(List.of(target(stable, "stable"), target(canary, "canary")));
        context.closeAtEnd(prometheus);
        prometheus.awaitTargetsUp(Duration.ofSeconds(30));
        try (BackgroundLoad a = new BackgroundLoad(stable.baseUrl(), MODEL, 10, 4);
             BackgroundLoad b = new BackgroundLoad(canary.baseUrl(), MODEL, 10, 4)) {
            progress.log("      Prometheus " + prometheus.url() + " scrapes stable :" + stable.port() + " and canary :"
                    + canary.port() + " (2x prefill); warming up");
            prometheus.await(WARM_QUERY, 2, Duration.ofSeconds(60));
            Analysis analysis = AnalysisLoader.parse(AnalysisLoader.builtInText()
                    .replace("rateWindow: 1m", "rateWindow: 2s")
                    .replace("failureLimit: 2", "failureLimit: 1")
                    .replace("inconclusiveLimit: 2", "inconclusiveLimit: 1"), "built-in (demo windows: rate 2s, one sample per window)");
            MetricSource source = new PrometheusMetricSource(new io.chatbotctl.prometheus.PrometheusClient(prometheus.url(),
                    Duration.ofSeconds(5)), RetryPolicy.of(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5)));
            WatchOptions options = new WatchOptions("demo", List.of(10, 50), Duration.ofSeconds(10), true, true, true,
                    null, null, context.reportDir().resolve("canary-report.json"));
            CanaryReport report = new CanaryWatch(analysis, source, null, Clock.systemUTC(), Sleeper.REAL)
                    .run(options, i -> {}, progress);
            IntervalReport last = report.intervals().get(report.intervals().size() - 1);
            MetricJudgement ttft = last.metrics().stream().filter(m -> m.metric().equals("ttft_p95")).findFirst().orElseThrow();
            return String.format(Locale.ROOT, "real Prometheus: slower canary %s at %d%% (ttft_p95 %s %+.0f%%, 98%% CI [%s, %s] s); "
                            + "dry run, nothing changed; canary-report.json",
                    report.outcome(), last.weight(), ttft.classification(), ttft.deltaPercent(),
                    Judge.number(ttft.lowerConfidence()), Judge.number(ttft.upperConfidence()));
        }
    }

    private static SimConfig sim(Duration prefillPer1k) {
        return SimConfig.builder().model(MODEL).prefillPer1kTokens(prefillPer1k).itl(Duration.ofMillis(60)).seed(1L).build();
    }

    private static LocalPrometheus.Target target(Simulator s, String track) {
        return new LocalPrometheus.Target("127.0.0.1:" + s.port(), Map.of("namespace", "demo", "track", track));
    }
}
