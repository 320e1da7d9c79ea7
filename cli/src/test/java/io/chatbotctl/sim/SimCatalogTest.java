package io.chatbotctl.sim;

import io.chatbotctl.core.vllm.CatalogMetric;
import io.chatbotctl.core.vllm.VllmCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's /metrics against the catalog of the vLLM version it imitates, both ways: every unconditional
 * family of the catalog is served with its type, labels, label values and buckets, and nothing else is served.
 * Runs for the pinned catalog and for the synthetic older one of the tests (which has no ITL histogram).
 */
class SimCatalogTest {

    /** One sample line: name, label set, value. */
    record Sample(String name, Map<String, String> labels) {
    }

    @ParameterizedTest
    @ValueSource(strings = {VllmCatalog.PINNED, "0.0.1-test"})
    void metricsEqualTheCatalog(String version) throws Exception {
        VllmCatalog catalog = VllmCatalog.load(version);
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).vllmVersion(version).build())) {
            SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hello", 4, false));
            SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hello", 4, true));
            String text = SimHttp.get(sim.baseUrl().replace("/v1", "") + "/metrics").body();
            Map<String, String> types = new TreeMap<>();
            List<Sample> samples = new ArrayList<>();
            parse(text, types, samples);

            Map<String, String> expectedTypes = new TreeMap<>();
            for (CatalogMetric m : catalog.unconditional()) {
                expectedTypes.put(m.name(), m.type());
                if (catalog.createdSamples() && !m.type().equals("gauge")) {
                    List<String> names = m.sampleNames(true);
                    expectedTypes.put(names.get(names.size() - 1), "gauge");
                }
            }
            assertEquals(expectedTypes, types, "families and types served by the simulator vs vllm/catalog-" + version + ".yaml");

            for (CatalogMetric m : catalog.unconditional()) {
                for (String sampleName : m.sampleNames(catalog.createdSamples())) {
                    List<Sample> of = samples.stream().filter(s -> s.name().equals(sampleName)).toList();
                    assertFalse(of.isEmpty(), "no sample " + sampleName + " (" + version + ")");
                    Set<String> expectedLabels = sampleName.endsWith("_created")
                            ? new TreeSet<>(m.labels()) : m.labelsOf(sampleName);
                    for (Sample s : of) {
                        if (m.openLabels()) {
                            assertTrue(s.labels().keySet().containsAll(expectedLabels), s + " lacks " + expectedLabels);
                        } else {
                            assertEquals(expectedLabels, s.labels().keySet(), "labels of " + s);
                        }
                    }
                    m.values().forEach((label, values) -> assertEquals(new TreeSet<>(values),
                            new TreeSet<>(of.stream().map(s -> s.labels().get(label)).toList()), sampleName + " " + label));
                    if (sampleName.endsWith("_bucket")) {
                        List<Double> bounds = new ArrayList<>(m.bucketsFor(sim.config().maxModelLen()));
                        bounds.add(Double.POSITIVE_INFINITY);
                        Map<Map<String, String>, List<Double>> byChild = new LinkedHashMap<>();
                        for (Sample s : of) {
                            Map<String, String> child = new TreeMap<>(s.labels());
                            String le = child.remove("le");
                            byChild.computeIfAbsent(child, k -> new ArrayList<>())
                                    .add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
                        }
                        byChild.forEach((child, les) -> assertEquals(bounds, les, "buckets of " + sampleName + child));
                    }
                }
            }
            for (Sample s : samples) {
                assertTrue(catalog.familyOfSample(s.name()).filter(CatalogMetric::unconditional).isPresent(),
                        s.name() + " is served but not in vllm/catalog-" + version + ".yaml");
            }
        }
    }

    /** The version's own name for the inter-token histogram carries the gaps of a stream. */
    @ParameterizedTest
    @ValueSource(strings = {VllmCatalog.PINNED + ":vllm:inter_token_latency_seconds",
            "0.0.1-test:vllm:time_per_output_token_seconds"})
    void interTokenGapsGoToTheVersionsHistogram(String versionAndName) throws Exception {
        String version = versionAndName.substring(0, versionAndName.indexOf(':'));
        String name = versionAndName.substring(versionAndName.indexOf(':') + 1);
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).vllmVersion(version).build())) {
            SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("hello", 6, true));
            String text = sim.metricsText();
            assertTrue(text.contains(name + "_count{engine=\"0\",model_name=\"" + SimConfig.DEFAULT_MODEL + "\"} 5.0"), text);
            String other = name.contains("inter_token") ? "vllm:time_per_output_token_seconds" : "vllm:inter_token_latency_seconds";
            assertFalse(text.contains(other), other + " is not served by " + version);
        }
    }

    @org.junit.jupiter.api.Test
    void aVersionWithoutACatalogIsBadInput() {
        io.chatbotctl.core.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.chatbotctl.core.InvalidInputException.class,
                () -> SimConfig.builder().vllmVersion("0.99.0").build());
        assertTrue(e.getMessage().startsWith("no vLLM catalog for version 0.99.0 (catalogs: " + VllmCatalog.PINNED), e.getMessage());
    }

    static void parse(String text, Map<String, String> types, List<Sample> samples) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(null, types.put(parts[2], parts[3]), "family typed twice: " + parts[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int brace = line.indexOf('{');
                int space = line.lastIndexOf(' ');
                String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
                Map<String, String> labels = new TreeMap<>();
                if (brace >= 0) {
                    String body = line.substring(brace + 1, line.lastIndexOf('}'));
                    for (String pair : body.split(",(?=[a-zA-Z_]+=\")")) {
                        int eq = pair.indexOf('=');
                        labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
                Double.parseDouble(line.substring(space + 1));
                samples.add(new Sample(name, labels));
            }
        }
    }
}
