package io.chatbotctl.manifest;

/**
 * GPU-aware checks of rendered manifests (docs/manifests.md lists them): gpu-request-limit, gpu-tolerations,
 * shm-volume, startup-budget, readiness-health, max-unavailable-zero, hpa-bounds, hpa-metric, pdb-replicas,
 * resources-set, no-latest-tag, model-fits, service-through-proxy, vllm-loopback, probes-reach-vllm, scrape-port.
 */
public final class ManifestLinter {
    private ManifestLinter() {}

    public static LintReport lint(RenderedManifests manifests) {
        return lint(manifests, "manifests");
    }

    public static LintReport lint(RenderedManifests manifests, String source) {
        LintContext ctx = new LintContext(manifests);
        PodChecks.run(ctx);
        ScalingChecks.run(ctx);
        ModelChecks.run(ctx);
        ApiTokenCheck.run(ctx);
        FrontDoorChecks.run(ctx);
        return LintReport.of(source, ctx.findings);
    }
}
