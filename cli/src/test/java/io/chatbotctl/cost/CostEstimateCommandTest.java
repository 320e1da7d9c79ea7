package io.chatbotctl.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.CliRunner;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostEstimateCommandTest {
    @TempDir
    Path dir;

    @Test
    void theProductionOverlayCostsWhatTheOriginalAnalysisSays() {
        CliRunner.Result r = CliRunner.inRepository().run("cost", "estimate", "--env", "production");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("$1,742 + $108 + $72 + $100 + $50 = $2,072 a month, 41.4% of a $5,000 budget"), r.out());
        assertTrue(r.out().contains("model at FP16      ~16.1 GB weights"), r.out());
        assertTrue(r.out().contains("model at 8-bit     ~ 9.1 GB weights"), r.out());
        assertTrue(r.out().contains("model at AWQ 4-bit ~ 5.7 GB weights"), r.out());
    }

    @Test
    void aGpuTooSmallForFp16IsSaid() {
        io.chatbotctl.manifest.ServiceShape shape = new io.chatbotctl.manifest.ServiceShape("vllm-chatbot", "g4dn.xlarge",
                "NVIDIA T4", 15, 1, 1, 1, 1, 0, false);
        io.chatbotctl.manifest.ServingSettings settings = new io.chatbotctl.manifest.ServingSettings("vllm-config", 8.03e9,
                Double.NaN, "auto", "awq", 0.9, 1, 8192, 64, 0, "auto", io.chatbotctl.manifest.ModelFootprint.LLAMA_3_1_8B);
        var fit = CostService.modelFit(shape, settings);
        assertEquals(List.of("FP16", "8-bit", "AWQ 4-bit"), fit.stream().map(CostEstimate.ModelFitLine::precision).toList());
        assertEquals(List.of(false, true, true), fit.stream().map(CostEstimate.ModelFitLine::fits).toList());
    }

    @Test
    void overBudgetExitsOne() throws Exception {
        CliRunner.Result r = CliRunner.inRepository().run("cost", "estimate", "--env", "production", "--budget", "2000", "-o", "json");
        assertEquals(1, r.exitCode(), r.toString());
        JsonNode json = Json.mapper().readTree(r.out());
        assertTrue(json.path("overBudget").asBoolean());
        assertEquals("2072.4", json.path("totalMonthly").asText());
        assertEquals("1742.4", json.at("/lines/0/monthly").asText());
        assertTrue(r.err().startsWith("chatbotctl: warning: over budget: "), r.err());
        assertEquals("g5.2xlarge", json.at("/inputs/instanceType").asText());
    }

    @Test
    void moreOnDemandReplicasInTheOverlayCostMore() throws Exception {
        Path manifests = copyManifests();
        Path kustomization = manifests.resolve("overlays/production/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replace("path: /spec/minReplicas\n        value: 2", "path: /spec/minReplicas\n        value: 3"));
        Path capacity = manifests.resolve("overlays/production/deployment-capacity.yaml");
        Files.writeString(capacity, Files.readString(capacity).replace("on-demand-base: \"2\"", "on-demand-base: \"3\""));

        CliRunner.Result r = new CliRunner().workingDir(dir).run("cost", "estimate", "--dir", "manifests/overlays/production");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("$2,614 + $72 + $72 + $100 + $50 = $2,908 a month, 58.2% of a $5,000 budget"), r.out());
    }

    @Test
    void aPricingFileChangesTheEstimate() throws Exception {
        Path pricing = dir.resolve("pricing.yaml");
        Files.writeString(pricing, """
                hoursPerMonth: 720
                eksClusterHourly: 0.10
                storageAndNetworkMonthly: 100
                monitoringMonthly: 50
                spotBurst: {hoursPerMonth: 200, averageReplicas: 1.5}
                instances:
                  g5.2xlarge: {onDemandHourly: 1.00, spotHourly: 0.40}
                """);
        CliRunner.Result r = CliRunner.inRepository().run("cost", "estimate", "--env", "production", "--pricing", pricing.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("$1,440 + $120 + $72 + $100 + $50 = $1,782 a month"), r.out());
    }

    @Test
    void aBrokenPricingFileIsBadInput() throws Exception {
        Path pricing = dir.resolve("pricing.yaml");
        Files.writeString(pricing, "instances: [oops\n");
        CliRunner.Result r = CliRunner.inRepository().run("cost", "estimate", "--env", "production", "--pricing", pricing.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("chatbotctl: error: cannot read pricing file"), r.err());
    }

    private Path copyManifests() throws IOException {
        return Repository.copyManifests(dir);
    }
}
