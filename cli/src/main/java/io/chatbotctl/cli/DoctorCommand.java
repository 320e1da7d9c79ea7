package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.doctor.DoctorReport;
import io.chatbotctl.doctor.DoctorRequest;
import io.chatbotctl.doctor.DoctorService;
import io.chatbotctl.kube.ServiceAccess;
import io.chatbotctl.modelsync.S3Settings;
import io.chatbotctl.openai.OpenAiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

@Command(name = "doctor", mixinStandardHelpOptions = true, description = {
        "Functional pre-flight of the cluster the chatbot depends on: access (RBAC for every verb chatbotctl uses), "
                + "GPU capacity, metrics, autoscaling, Gateway API traffic, spot interruption handling, model and proxy, "
                + "and one streamed request end to end.",
        "Each check prints ok, warn or fail, its evidence and the fix (docs/doctor.md). In-cluster Prometheus and "
                + "endpoint URLs are reached as --access says (docs/access.md).",
        "Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 4 when the cluster cannot be reached."},
        footer = {"", "Examples:", "  chatbotctl doctor --env production",
                "  CHATBOTCTL_API_KEY=... chatbotctl doctor --env staging -o json"})
public class DoctorCommand extends ClusterCommand {
    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL (default: the environment's).")
    String prometheus;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "OpenAI base URL of the chatbot for the end-to-end request (default: the environment's).")
    String endpoint;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "Longest wait of one probe: a query, the S3 HEAD, the Redis PING, the first token (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    S3Options s3;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() {
        EnvironmentConfig env = requiredEnvironment();
        var variables = environment().variables();
        S3Settings s3Settings = new S3Settings(s3.endpointUrl, s3.region != null ? s3.region : env.region(), s3.profile, variables);
        try (ServiceAccess services = access.open(this, env)) {
            ServiceAccess.Reached prom = services.reach(prometheus != null ? prometheus : env.prometheus());
            ServiceAccess.Reached chatbot = services.reach(endpoint != null ? endpoint : env.endpoint(), access.chatbot(this, env), null);
            DoctorRequest request = new DoctorRequest(env.name(), kubeTarget(), config().names(),
                    env.overlay() == null ? null : Path.of(env.overlay()), prom == null ? null : prom.url(),
                    chatbot == null ? null : chatbot.url(), OpenAiClient.apiKey(variables), config().model(), env.modelUri(),
                    s3Settings, config().proxy().redis(), timeout, access.mode(this, env));
            DoctorReport report = new DoctorService(request).run(output().progress());
            output().print(report);
            return report.failed() ? ExitCode.CHECK_FAILED : ExitCode.OK;
        }
    }
}
