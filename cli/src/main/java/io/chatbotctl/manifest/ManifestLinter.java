package io.chatbotctl.manifest;

/**
 * GPU-aware checks of rendered manifests (docs/manifests.md lists them): gpu-request-limit, gpu-tolerations,
 * shm-volume, startup-budget, readiness-health, max-unavailable-zero, hpa-bounds, hpa-metric, pdb-replicas,
 * resources-set, no-latest-tag, model-fits, service-through-proxy, vllm-loopback, probes-reach-vllm, scrape-port,
 * vllm-catalog, vllm-flags, promql-series.
 */
public final class ManifestLinter {
    private ManifestLinter() {}

    public static LintReport lint(RenderedManifests manifests) {
        return lint(manifests, "manifests");
    }

    /**
     * @param source the kustomization directory the manifests were rendered from (its manifests tree holds the
     *               prometheus-adapter values, {@link AdapterRules#VALUES}), or a label when there is none
     */
    public static LintReport lint(RenderedManifests manifests, String source) {
        java.nio.file.Path dir = java.nio.file.Path.of(source);
        return lint(manifests, source, java.nio.file.Files.isDirectory(dir) ? dir : null);
    }

    /** @param kustomizationDir where the manifests were rendered from, or null */
    public static LintReport lint(RenderedManifests manifests, String source, java.nio.file.Path kustomizationDir) {
        java.util.Optional<AdapterRules> adapter = kustomizationDir == null
                ? java.util.Optional.empty() : AdapterRules.find(kustomizationDir);
        LintContext ctx = new LintContext(manifests, adapter);
        PodChecks.run(ctx);
        ScalingChecks.run(ctx);
        ModelChecks.run(ctx);
        ApiTokenCheck.run(ctx);
        FrontDoorChecks.run(ctx);
        CatalogChecks.run(ctx);
        return LintReport.of(source, ctx.findings);
    }
}
