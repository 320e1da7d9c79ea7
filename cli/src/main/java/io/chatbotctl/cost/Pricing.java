package io.chatbotctl.cost;

import java.util.Map;

/**
 * Prices and usage assumptions, all in US dollars.
 *
 * @param hoursPerMonth            hours a month of always-on capacity (720 = 30 days)
 * @param eksClusterHourly         the EKS control plane per hour
 * @param storageAndNetworkMonthly storage, load balancer and data transfer per month
 * @param monitoringMonthly        monitoring per month
 * @param spotBurstHoursPerMonth   hours a month when traffic needs replicas beyond the on-demand base
 * @param spotBurstAverageReplicas spot replicas running on average during those hours
 * @param instances                prices by EC2 instance type
 * @param source                   where the prices came from (a file, or the built-in defaults)
 */
public record Pricing(double hoursPerMonth, double eksClusterHourly, double storageAndNetworkMonthly,
                      double monitoringMonthly, double spotBurstHoursPerMonth, double spotBurstAverageReplicas,
                      Map<String, InstancePrice> instances, String source) {

    /**
     * @param onDemandHourly on-demand price per hour
     * @param spotHourly     typical spot price per hour
     */
    public record InstancePrice(double onDemandHourly, double spotHourly) {
    }
}
