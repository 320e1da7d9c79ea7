package io.chatbotctl.loadtest;

import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The demo's load test: 5 s open loop at 20 req/s against the simulator the first step started, with SLOs. */
public final class LoadTestDemoStep implements DemoStep {
    @Override
    public String title() {
        return "load-test the simulator";
    }

    @Override
    public String run(DemoContext context) {
        String endpoint = context.get(DemoContext.ENDPOINT);
        Path html = context.reportDir().resolve("loadtest.html");
        LoadTestConfig config = LoadTestConfig.builder(endpoint).rate(20).arrival(Arrival.POISSON).seed(1L)
                .duration(Duration.ofSeconds(5)).warmupTime(Duration.ofSeconds(1)).maxTokens(64)
                .slos(List.of(Slo.parse("ttft.p99<=2s"), Slo.parse("error_rate<=1%")))
                .maxScheduleLag(Duration.ofMillis(50))
                .build();
        LoadTestReport report = LoadTestRunner.run(new LoadTestPlan(config, null,
                context.reportDir().resolve("loadtest.json"), html, null), context.progress());
        LoadTestResult r = report.result();
        MetricSummary ttft = r.results().latencies().get("ttft");
        return String.format(Locale.ROOT, "%d requests at %.1f req/s, TTFT p50 %.1f ms p99 %.1f ms, ITL p99 %.1f ms, "
                        + "%d errors, SLOs %s; report %s", r.results().requests(), r.generator().achievedRate(),
                ttft.p50Ms(), ttft.p99Ms(), r.results().latencies().get("itl").p99Ms(), r.results().failed(),
                r.breaches().isEmpty() ? "met" : "breached", html);
    }
}
