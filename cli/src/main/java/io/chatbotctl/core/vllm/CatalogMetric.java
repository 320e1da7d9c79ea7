package io.chatbotctl.core.vllm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One metric family of a vLLM catalog.
 *
 * @param name       the family name as Prometheus stores it (counters with their {@code _total})
 * @param type       counter, gauge, histogram or summary
 * @param labels     the labels vLLM sets (without {@code le})
 * @param values     the fixed values of enumerated labels (e.g. {@code finished_reason}); vLLM creates every one
 * @param buckets    the histogram's upper bounds, or null when {@link #bucketsUpToMaxModelLen}
 * @param bucketsUpToMaxModelLen the 1-2-5 series up to {@code --max-model-len} (vLLM's build_1_2_5_buckets)
 * @param openLabels more labels than {@code labels} exist and change between releases (info gauges)
 * @param condition  the option or variable without which vLLM does not serve the family, or null
 * @param deprecated vLLM marks it deprecated
 * @param source     key of the catalog's {@code sources} the fact comes from
 */
public record CatalogMetric(String name, String type, List<String> labels, Map<String, List<String>> values,
                            List<Double> buckets, boolean bucketsUpToMaxModelLen, boolean openLabels,
                            String condition, boolean deprecated, String source) {

    /** Served whatever the options: the simulator serves exactly these. */
    public boolean unconditional() {
        return condition == null;
    }

    /** The sample names Prometheus stores for this family (histograms: _bucket, _sum, _count). */
    public List<String> sampleNames(boolean createdSamples) {
        List<String> names = new ArrayList<>();
        String base = type.equals("counter") && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
        switch (type) {
            case "histogram" -> names.addAll(List.of(name + "_bucket", name + "_sum", name + "_count"));
            case "summary" -> names.addAll(List.of(name + "_sum", name + "_count"));
            default -> names.add(name);
        }
        if (createdSamples && !type.equals("gauge")) {
            names.add(base + "_created");
        }
        return names;
    }

    /** The labels a sample of {@code sample} carries: the family's, plus {@code le} on {@code _bucket}. */
    public Set<String> labelsOf(String sample) {
        Set<String> out = new java.util.TreeSet<>(labels);
        if (sample.endsWith("_bucket") && type.equals("histogram")) {
            out.add("le");
        }
        return out;
    }

    /** The upper bounds for a server whose context length is {@code maxModelLen}. */
    public List<Double> bucketsFor(int maxModelLen) {
        if (!bucketsUpToMaxModelLen) {
            return buckets == null ? List.of() : buckets;
        }
        List<Double> out = new ArrayList<>();
        for (long exp = 1; ; exp *= 10) {
            for (int m : new int[]{1, 2, 5}) {
                if (m * exp > maxModelLen) {
                    return out;
                }
                out.add((double) (m * exp));
            }
        }
    }
}
