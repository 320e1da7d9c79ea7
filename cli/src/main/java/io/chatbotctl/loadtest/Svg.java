package io.chatbotctl.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Inline SVG charts for the HTML report: line charts (optionally on a log-scale x axis) and a bar chart. */
final class Svg {
    private static final int W = 760;
    private static final int H = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};

    record Point(double x, double y) {}

    record Series(String name, List<Point> points) {}

    /** An x tick: where, and what it says. */
    record Tick(double x, String label) {}

    private Svg() {}

    /**
     * @param logX plot x on a log10 scale (x must be ≥ 1), as HdrHistogram's percentile distribution plots do
     */
    static String lineChart(String id, String title, String xTitle, String yTitle, List<Series> series,
                            boolean logX, List<Tick> xTicks) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                double x = logX ? Math.log10(p.x()) : p.x();
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, p.y());
            }
        }
        for (Tick t : xTicks) {
            double x = logX ? Math.log10(t.x()) : t.x();
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
        }
        if (minX == Double.MAX_VALUE) {
            minX = 0;
            maxX = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        maxY = niceCeiling(maxY);
        StringBuilder sb = open(id, title);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4, num(v)));
        }
        for (Tick t : xTicks) {
            double x = LEFT + plotW * ((logX ? Math.log10(t.x()) : t.x()) - minX) / (maxX - minX);
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, TOP, x, TOP + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, TOP + plotH + 16, esc(t.label())));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, H - 8, esc(xTitle)));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>",
                TOP + plotH / 2, TOP + plotH / 2, esc(yTitle)));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (Point p : s.points()) {
                double x = LEFT + plotW * ((logX ? Math.log10(p.x()) : p.x()) - minX) / (maxX - minX);
                double y = TOP + plotH - (maxY == 0 ? 0 : plotH * p.y() / maxY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("<polyline class=\"series\" data-series=\"").append(esc(s.name())).append("\" fill=\"none\" stroke=\"")
                    .append(color).append("\" stroke-width=\"2\" points=\"").append(points.toString().strip()).append("\"/>");
            int ly = TOP + 14 + 18 * i;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>",
                    W - RIGHT + 12, ly - 4, W - RIGHT + 30, ly - 4, color));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", W - RIGHT + 36, ly, esc(s.name())));
        }
        sb.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", LEFT, TOP, plotW, plotH));
        return sb.append("</svg>").toString();
    }

    static String barChart(String id, String title, Map<String, Long> bars) {
        StringBuilder sb = open(id, title);
        if (bars.isEmpty()) {
            sb.append("<text x=\"").append(W / 2).append("\" y=\"").append(H / 2).append("\" text-anchor=\"middle\">no errors</text>");
            return sb.append("</svg>").toString();
        }
        long max = bars.values().stream().mapToLong(Long::longValue).max().orElse(1);
        int rowH = Math.min(40, (H - TOP - 20) / bars.size());
        int y = TOP + 10;
        int i = 0;
        for (Map.Entry<String, Long> e : bars.entrySet()) {
            double w = (W - 260) * e.getValue() / (double) Math.max(1, max);
            sb.append(String.format(Locale.ROOT, "<text x=\"150\" y=\"%d\" text-anchor=\"end\">%s</text>", y + rowH / 2 + 4, esc(e.getKey())));
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"160\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    y + 4, Math.max(1, w), rowH - 8, COLORS[(i + 1) % COLORS.length]));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d</text>", 166 + w, y + rowH / 2 + 4, e.getValue()));
            y += rowH;
            i++;
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id).append("\" viewBox=\"0 0 ").append(W)
                .append(' ').append(H).append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        sb.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"18\">").append(esc(title)).append("</text>");
        return sb;
    }

    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[]{1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
