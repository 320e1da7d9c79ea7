package io.chatbotctl.cost;

import io.chatbotctl.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Monthly cost of one environment: on-demand GPU nodes for the on-demand base around the clock, spot nodes for
 * the rest of the HPA's minimum around the clock, spot nodes for the burst above the minimum during busy hours,
 * the EKS control plane, storage and network, and monitoring. Capacity lines with no replicas are left out.
 */
public final class CostEstimator {

    public CostEstimate estimate(CostInputs inputs, Pricing pricing, double budgetMonthly,
                                 List<CostEstimate.ModelFitLine> modelFit) {
        if (budgetMonthly <= 0) {
            throw new InvalidInputException("--budget must be positive, got " + budgetMonthly);
        }
        Pricing.InstancePrice price = pricing.instances().get(inputs.instanceType());
        if (price == null) {
            throw new InvalidInputException("no price for instance type " + inputs.instanceType() + " in " + pricing.source(),
                    "add it under 'instances:' in a pricing file and pass --pricing FILE (see docs/cost.md)");
        }
        int baseline = Math.max(inputs.minReplicas(), inputs.onDemandReplicas());
        int spotAlwaysOn = inputs.spotAllowed() ? Math.max(0, inputs.minReplicas() - inputs.onDemandReplicas()) : 0;
        int burstCapacity = Math.max(0, inputs.maxReplicas() - baseline);
        double burstReplicas = inputs.spotAllowed() ? Math.min(pricing.spotBurstAverageReplicas(), burstCapacity) : 0;
        double hours = pricing.hoursPerMonth();

        List<CostEstimate.Line> lines = new ArrayList<>();
        if (inputs.onDemandReplicas() > 0) {
            lines.add(new CostEstimate.Line("on-demand " + inputs.instanceType(), inputs.onDemandReplicas(),
                    price.onDemandHourly(), hours, inputs.onDemandReplicas() * price.onDemandHourly() * hours));
        }
        if (spotAlwaysOn > 0) {
            lines.add(new CostEstimate.Line("spot " + inputs.instanceType(), spotAlwaysOn, price.spotHourly(), hours,
                    spotAlwaysOn * price.spotHourly() * hours));
        }
        if (burstReplicas > 0) {
            lines.add(new CostEstimate.Line("spot burst " + inputs.instanceType(), burstReplicas, price.spotHourly(),
                    pricing.spotBurstHoursPerMonth(), burstReplicas * price.spotHourly() * pricing.spotBurstHoursPerMonth()));
        }
        lines.add(new CostEstimate.Line("EKS control plane", 1, pricing.eksClusterHourly(), hours,
                pricing.eksClusterHourly() * hours));
        lines.add(new CostEstimate.Line("storage and network", 1, pricing.storageAndNetworkMonthly(), 0,
                pricing.storageAndNetworkMonthly()));
        lines.add(new CostEstimate.Line("monitoring", 1, pricing.monitoringMonthly(), 0, pricing.monitoringMonthly()));

        lines.replaceAll(l -> new CostEstimate.Line(l.item(), l.quantity(), l.unitPrice(), l.hours(), cents(l.monthly())));
        double total = cents(lines.stream().mapToDouble(CostEstimate.Line::monthly).sum());
        return new CostEstimate(lines, total, budgetMonthly, total / budgetMonthly, total > budgetMonthly, inputs,
                pricing.source(), modelFit);
    }

    /** Money to whole cents, so JSON shows 1742.4, not 1742.3999999999999. */
    private static double cents(double dollars) {
        return Math.round(dollars * 100) / 100.0;
    }
}
