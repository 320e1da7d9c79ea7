package io.chatbotctl.doctor;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.manifest.ManifestRenderer;
import io.chatbotctl.manifest.RenderOptions;
import io.chatbotctl.manifest.RenderedManifests;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code chatbotctl doctor}: a functional pre-flight of the cluster the chatbot depends on (docs/doctor.md). The
 * API server must answer (else exit 4: nothing else can be checked); every other check reports ok, warn or fail.
 */
public final class DoctorService {
    private final DoctorRequest request;

    public DoctorService(DoctorRequest request) {
        this.request = request;
    }

    public DoctorReport run(Progress progress) {
        RenderedManifests rendered = request.overlay() == null ? null
                : ManifestRenderer.render(request.overlay(), RenderOptions.none());
        try (KubeConnection kube = KubeConnection.open(request.kube())) {
            VersionInfo version = kube.call("read the server version", () -> kube.client().getKubernetesVersion());
            DoctorContext context = new DoctorContext(kube, request, rendered);
            List<CheckResult> checks = new ArrayList<>();
            checks.add(AccessChecks.apiServer(context, version));
            group(checks, progress, AccessChecks.GROUP, "rbac", () -> List.of(AccessChecks.rbac(context)));
            group(checks, progress, GpuChecks.GROUP, "gpu-nodes", () -> new GpuChecks(context).run());
            group(checks, progress, MetricsChecks.GROUP, "prometheus", () -> new MetricsChecks(context).run());
            group(checks, progress, AutoscalingChecks.GROUP, "hpa-metric", () -> new AutoscalingChecks(context).run());
            group(checks, progress, TrafficChecks.GROUP, "gateway-crds", () -> new TrafficChecks(context).run());
            group(checks, progress, SpotChecks.GROUP, "interruption-handler", () -> new SpotChecks(context).run());
            group(checks, progress, ModelProxyChecks.GROUP, "model-uri", () -> new ModelProxyChecks(context).run());
            group(checks, progress, EndToEndCheck.GROUP, "chat-stream", () -> List.of(EndToEndCheck.run(request)));
            return DoctorReport.of(request.environment(), kube.namespace(), kube.server(), checks);
        }
    }

    /**
     * Runs one group; a cluster call that fails inside it (a denied list, a dropped connection) becomes a fail of the
     * group, named by its first check, and the other groups still run.
     */
    private static void group(List<CheckResult> checks, Progress progress, String group, String firstCheck,
                              Supplier<List<CheckResult>> body) {
        progress.update("doctor: " + group + " ...");
        try {
            checks.addAll(body.get());
        } catch (ChatbotctlException e) {
            checks.add(CheckResult.fail(group, firstCheck, "the check stopped: " + e.getMessage(),
                    e.hint() != null ? e.hint() : "rerun with --debug"));
        } catch (KubernetesClientException e) {
            checks.add(CheckResult.fail(group, firstCheck, "the check stopped: the cluster answered HTTP " + e.getCode()
                    + ": " + e.getMessage(), e.getCode() == 403 ? "your user lacks RBAC permission for it (see Access)" : "rerun with --debug"));
        }
    }
}
