package io.chatbotctl.loadtest;

import io.chatbotctl.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --sweep concurrency=1,2,4,8} or {@code --sweep rate=5,10,20}: the parameter and its values, run in order.
 */
public record SweepSpec(String parameter, List<Double> values) {
    public SweepSpec {
        values = List.copyOf(values);
    }

    public static SweepSpec parse(String text) {
        String hint = "write it like concurrency=1,2,4,8 or rate=5,10,20";
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new InvalidInputException("invalid --sweep '" + text + "'", hint);
        }
        String parameter = text.substring(0, eq).strip();
        if (!parameter.equals("concurrency") && !parameter.equals("rate")) {
            throw new InvalidInputException("--sweep can vary concurrency or rate, not '" + parameter + "'", hint);
        }
        List<Double> values = new ArrayList<>();
        for (String v : text.substring(eq + 1).split(",")) {
            try {
                double value = Double.parseDouble(v.strip());
                if (!(value > 0) || (parameter.equals("concurrency") && value != Math.rint(value))) {
                    throw new NumberFormatException();
                }
                values.add(value);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("invalid --sweep value '" + v.strip() + "'",
                        parameter.equals("concurrency") ? "concurrency values are whole numbers above 0" : "rates are numbers above 0");
            }
        }
        return new SweepSpec(parameter, values);
    }

    LoadTestConfig apply(LoadTestConfig base, double value) {
        LoadTestConfig.Builder b = base.toBuilder();
        return (parameter.equals("concurrency") ? b.concurrency((int) value) : b.rate(value)).build();
    }
}
