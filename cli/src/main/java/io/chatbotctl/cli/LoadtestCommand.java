package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.kube.ServiceAccess;
import io.chatbotctl.loadtest.Arrival;
import io.chatbotctl.loadtest.LoadTestConfig;
import io.chatbotctl.loadtest.LoadTestPlan;
import io.chatbotctl.loadtest.LoadTestReport;
import io.chatbotctl.loadtest.LoadTestRunner;
import io.chatbotctl.loadtest.LoadTestTarget;
import io.chatbotctl.loadtest.Prompts;
import io.chatbotctl.loadtest.Slo;
import io.chatbotctl.loadtest.SweepSpec;
import io.chatbotctl.openai.HeaderOptions;
import io.chatbotctl.openai.OpenAiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "loadtest", sortOptions = false,
        description = {"Load-test an OpenAI-compatible endpoint: TTFT/ITL/TPOT/E2E in HdrHistograms, closed or open loop,"
                + " coordinated-omission corrected, SLO gates.",
                "Exit 1 when an SLO is breached, 4 when the endpoint cannot be reached, 5 when the generator could not keep its schedule."})
public class LoadtestCommand extends BaseCommand {
    /** Said when the endpoint is relayed: the API server's hop is in every measured latency. */
    static final String EXTRA_HOP = "every request takes an extra hop (API server and its proxy), and the measured latencies"
            + " include it (docs/access.md)";

    @Option(names = "--endpoint", paramLabel = "URL", description = "OpenAI base URL (http://host:8000/v1); default: the environment's endpoint, else an embedded simulator")
    String endpoint;

    @Option(names = "--model", description = "model id (default: the first of /v1/models)")
    String model;

    @Option(names = "--prompts", paramLabel = "FILE", description = "JSONL of {\"messages\": [...]} or {\"prompt\": \"...\"}, or ShareGPT JSON (default: built-in Korean customer-support questions)")
    Path prompts;

    @Option(names = "--system-prompt", paramLabel = "TEXT", description = "system message put before every prompt")
    String systemPrompt;

    @Option(names = "--max-tokens", defaultValue = "256", description = "max_tokens per request (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--ignore-eos", description = "ask the server for exactly --max-tokens tokens (vLLM's ignore_eos)")
    boolean ignoreEos;

    @Option(names = "--temperature", description = "sampling temperature (default: the server's)")
    Double temperature;

    @Option(names = "--seed", description = "seed sent to the server and for the Poisson schedule")
    Long seed;

    @Option(names = {"-c", "--concurrency"}, description = "closed loop: requests in flight (default: 1)")
    Integer concurrency;

    @Option(names = "--requests", paramLabel = "N", description = "measured requests to send (default: 100 unless --duration)")
    Long requests;

    @Option(names = "--duration", description = "how long to send measured requests, e.g. 30s, 5m")
    Duration duration;

    @Option(names = "--rate", paramLabel = "R", description = "open loop: requests per second on an absolute schedule")
    Double rate;

    @Option(names = "--arrival", defaultValue = "constant", paramLabel = "poisson|constant", description = "open loop: gaps between sends (default: ${DEFAULT-VALUE})")
    String arrival;

    @Option(names = "--max-in-flight", defaultValue = "10000", paramLabel = "N", description = "open loop: most requests outstanding (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--ramp-up", defaultValue = "0s", description = "closed loop: start workers evenly over this time; open loop: raise the rate linearly")
    Duration rampUp;

    @Option(names = "--warmup", paramLabel = "TIME|COUNT", description = "leave out the first requests: a time (30s) or a count (20)")
    String warmup;

    @Option(names = "--sweep", paramLabel = "PARAM=V1,V2,...", description = "run once per value, e.g. concurrency=1,2,4,8 or rate=5,10,20; reports the highest that meets the SLOs")
    String sweep;

    @Option(names = "--slo", paramLabel = "SLO", description = "repeatable gate: ttft.p99<=2s, e2e.p95<=10s, itl.p99<=100ms, tpot.mean<=50ms, error_rate<=1%%")
    List<String> slos = new ArrayList<>();

    @Option(names = {"-H", "--header"}, paramLabel = "NAME: VALUE", description = "repeatable extra request header, e.g. 'X-Canary: always'")
    List<String> headers = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "60s", description = "longest silence within a response (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--metrics-url", paramLabel = "URL", description = "the server's Prometheus /metrics (default: the environment's metricsUrl, else derived from the endpoint); 'none' to skip")
    String metricsUrl;

    @Option(names = "--max-schedule-lag", defaultValue = "10ms", description = "mark the run INVALID when the schedule lag's P99 exceeds this (default: ${DEFAULT-VALUE})")
    Duration maxScheduleLag;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON report (schema: docs/loadtest.md)")
    Path out;

    @Option(names = "--hdr-log", paramLabel = "DIR", description = "write HdrHistogram interval logs, one per metric")
    Path hdrLog;

    @Option(names = "--html", paramLabel = "FILE", description = "write a self-contained HTML report with plots")
    Path html;

    @Option(names = "--compare", paramLabel = "OLD.json", description = "print percentile deltas against an earlier --out report")
    Path compare;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() {
        Output output = output();
        EnvironmentConfig env = namedEnvironment();
        try (ServiceAccess services = access.open(this, env); LoadTestTarget target = resolveTarget(output, env, services)) {
            LoadTestConfig config = LoadTestConfig.builder(target.endpoint())
                    .reachedAs(target.configuredEndpoint(), target.access())
                    .apiKey(OpenAiClient.apiKey(environment().variables()))
                    .model(model)
                    .prompts(prompts == null ? Prompts.builtIn() : Prompts.load(resolve(prompts)))
                    .systemPrompt(systemPrompt).maxTokens(maxTokens).ignoreEos(ignoreEos).temperature(temperature).seed(seed)
                    .headers(HeaderOptions.parse(headers)).maxInFlight(maxInFlight).rampUp(rampUp).timeout(timeout)
                    .slos(slos.stream().map(Slo::parse).toList())
                    .metricsUrl(metricsUrl(target, env, services))
                    .maxScheduleLag(maxScheduleLag)
                    .hdrLogDir(hdrLog == null ? null : resolve(hdrLog))
                    .arrival(Arrival.parse(arrival))
                    .loop(rate, concurrency)
                    .requests(requests == null ? 0 : requests)
                    .duration(duration)
                    .warmup(warmup)
                    .build();
            LoadTestPlan plan = new LoadTestPlan(config, sweep == null ? null : SweepSpec.parse(sweep),
                    out == null ? null : resolve(out), html == null ? null : resolve(html),
                    compare == null ? null : resolve(compare));
            LoadTestReport report = LoadTestRunner.run(plan, output.progress());
            output.print(output.format() == OutputFormat.table ? report : report.document());
            report.requirePassed();
            return 0;
        }
    }

    private LoadTestTarget resolveTarget(Output output, EnvironmentConfig env, ServiceAccess services) {
        String url = endpoint != null ? endpoint : env != null ? env.endpoint() : null;
        if (url != null) {
            ServiceAccess.Reached reached = services.reach(url, access.chatbot(this, env), EXTRA_HOP);
            return LoadTestTarget.of(reached.url(), reached.configured(), reached.access());
        }
        LoadTestTarget sim = LoadTestTarget.embeddedSimulator();
        output.info("loadtest: no --endpoint and no environment endpoint: testing an embedded simulator at " + sim.endpoint());
        return sim;
    }

    /**
     * --metrics-url, else the environment's metricsUrl when the endpoint is the environment's, else null (derived from
     * the endpoint); reached like the endpoint.
     */
    private String metricsUrl(LoadTestTarget target, EnvironmentConfig env, ServiceAccess services) {
        if (metricsUrl != null && metricsUrl.equals("none")) {
            return "";
        }
        String url = metricsUrl != null ? metricsUrl
                : endpoint == null && env != null && target.configuredEndpoint().equals(env.endpoint()) ? env.metricsUrl() : null;
        return url == null ? null : services.reach(url, access.chatbotMetrics(this, env), null).url();
    }

    private Path resolve(Path p) {
        return environment().workingDir().resolve(p);
    }
}
