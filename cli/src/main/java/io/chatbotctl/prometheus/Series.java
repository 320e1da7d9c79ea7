package io.chatbotctl.prometheus;

import java.util.List;
import java.util.Map;

/** One series of a range query. */
public record Series(Map<String, String> labels, List<Point> points) {

    /** A value at a time. */
    public record Point(java.time.Instant time, double value) {
    }

    /** The values alone, in time order, without NaN. */
    public double[] values() {
        return points.stream().mapToDouble(Point::value).filter(v -> !Double.isNaN(v)).toArray();
    }
}
