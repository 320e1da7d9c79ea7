package io.chatbotctl.cost;

import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A monthly cost estimate in US dollars.
 *
 * @param lines          what the total is made of
 * @param totalMonthly   the sum of the lines
 * @param budgetMonthly  the budget compared with
 * @param budgetShare    total / budget (0.414 = 41.4%)
 * @param overBudget     whether the total exceeds the budget
 * @param inputs         what the manifests said
 * @param pricingSource  where the prices came from
 * @param modelFit       whether the model fits the GPU at each precision
 */
public record CostEstimate(List<Line> lines, double totalMonthly, double budgetMonthly, double budgetShare,
                           boolean overBudget, CostInputs inputs, String pricingSource, List<ModelFitLine> modelFit)
        implements Tabular {

    /**
     * @param item      e.g. {@code on-demand g5.2xlarge}
     * @param quantity  replicas (average replicas for spot burst), or 1
     * @param unitPrice price per hour (or per month for monthly items)
     * @param hours     hours a month, or 0 for monthly items
     * @param monthly   the line's monthly cost
     */
    public record Line(String item, double quantity, double unitPrice, double hours, double monthly) {
    }

    /**
     * Memory in decimal gigabytes (1e9 bytes).
     *
     * @param precision   {@code FP16}, {@code 8-bit}, {@code AWQ 4-bit}
     * @param gpu         the GPU model, e.g. {@code NVIDIA A10G}
     * @param weightsGB   memory the weights take
     * @param neededGB    weights plus vLLM's overhead (CUDA context, activations, scales)
     * @param usableGB    GPU memory vLLM may use (GPU memory × gpu-memory-utilization × tensor-parallel GPUs)
     * @param fits        whether what is needed fits what is usable (the rest is KV cache)
     */
    public record ModelFitLine(String precision, String gpu, double weightsGB, double neededGB, double usableGB,
                               boolean fits) {
    }

    /** {@code $1,742 + $108 + $72 + $100 + $50 = $2,072 a month, 41.4% of a $5,000 budget}. */
    public String summary() {
        return lines.stream().map(l -> dollars(l.monthly())).collect(Collectors.joining(" + "))
                + " = " + dollars(totalMonthly) + " a month, "
                + String.format(Locale.ROOT, "%.1f%%", budgetShare * 100) + " of a " + dollars(budgetMonthly) + " budget"
                + (overBudget ? " — OVER BUDGET" : "");
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("ITEM", "QUANTITY", "UNIT PRICE", "HOURS", "MONTHLY");
        for (Line l : lines) {
            table.row(l.item(), trim(l.quantity()), l.hours() > 0 ? String.format(Locale.ROOT, "$%.2f/h", l.unitPrice()) : "",
                    l.hours() > 0 ? trim(l.hours()) : "", dollars(l.monthly()));
        }
        table.row("total", "", "", "", dollars(totalMonthly));
        table.note("").note(summary());
        if (!modelFit.isEmpty()) {
            table.note("");
            for (ModelFitLine f : modelFit) {
                table.note(String.format(Locale.ROOT, "model at %-9s ~%4.1f GB weights, %4.1f GB with overhead, of %.1f GB usable on %s: %s",
                        f.precision(), f.weightsGB(), f.neededGB(), f.usableGB(), f.gpu(), f.fits() ? "fits" : "does NOT fit"));
            }
        }
        return table.note("").note("manifests: " + inputs.source() + "   prices: " + pricingSource).build();
    }

    static String dollars(double amount) {
        return String.format(Locale.ROOT, "$%,.0f", amount);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
