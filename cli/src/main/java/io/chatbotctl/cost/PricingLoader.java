package io.chatbotctl.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a pricing file (YAML; the built-in one is {@code default-pricing.yaml} beside this class). */
public final class PricingLoader {
    private PricingLoader() {}

    public static Pricing defaults() {
        try (InputStream in = PricingLoader.class.getResourceAsStream("default-pricing.yaml")) {
            return parse(Json.yaml().readTree(in), "(built-in prices)");
        } catch (IOException e) {
            throw new IllegalStateException("built-in pricing unreadable", e);
        }
    }

    public static Pricing load(Path file) {
        JsonNode root;
        try {
            root = Json.yaml().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read pricing file " + file + ": " + firstLine(IoErrors.reason(e)),
                    "see docs/cost.md for its shape");
        }
        return parse(root, file.toString());
    }

    private static Pricing parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source + ": a pricing file is a YAML mapping", "see docs/cost.md");
        }
        Map<String, Pricing.InstancePrice> instances = new LinkedHashMap<>();
        JsonNode list = root.path("instances");
        if (!list.isObject() || list.isEmpty()) {
            throw new InvalidInputException(source + ": instances: must list at least one instance type");
        }
        list.fields().forEachRemaining(e -> instances.put(e.getKey(), new Pricing.InstancePrice(
                number(e.getValue(), "onDemandHourly", source, "instances." + e.getKey()),
                number(e.getValue(), "spotHourly", source, "instances." + e.getKey()))));
        JsonNode burst = root.path("spotBurst");
        return new Pricing(
                number(root, "hoursPerMonth", source, ""),
                number(root, "eksClusterHourly", source, ""),
                number(root, "storageAndNetworkMonthly", source, ""),
                number(root, "monitoringMonthly", source, ""),
                number(burst, "hoursPerMonth", source, "spotBurst"),
                number(burst, "averageReplicas", source, "spotBurst"),
                instances, source);
    }

    private static double number(JsonNode node, String field, String source, String path) {
        JsonNode value = node.get(field);
        String name = path.isEmpty() ? field : path + "." + field;
        if (value == null || !value.isNumber()) {
            throw new InvalidInputException(source + ": " + name + ": must be a number", "see docs/cost.md");
        }
        if (value.asDouble() < 0) {
            throw new InvalidInputException(source + ": " + name + ": must not be negative");
        }
        return value.asDouble();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
