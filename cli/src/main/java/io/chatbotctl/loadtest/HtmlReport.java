package io.chatbotctl.loadtest;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.chatbotctl.loadtest.Svg.esc;

/**
 * The self-contained HTML report: tables and inline SVG plots (percentile distribution on HdrHistogram's
 * log-scale percentile axis, latency and throughput over time, errors by kind); no scripts, nothing fetched.
 */
final class HtmlReport {
    private HtmlReport() {}

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
            .invalid{color:#b00;font-weight:bold}.valid{color:#070;font-weight:bold}.breach{color:#b00}
            svg{display:block;margin:8px 0;font-size:11px}svg .title{font-size:13px;font-weight:bold}
            svg .grid{stroke:#e5e5e5}svg .frame{fill:none;stroke:#999}
            """;

    static String render(LoadTestResult r, SweepResult sweep) {
        StringBuilder h = new StringBuilder(64 * 1024);
        LoadTestResult.Configuration c = r.configuration();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>chatbotctl loadtest report</title><style>")
                .append(STYLE).append("</style></head><body>");
        h.append("<h1>chatbotctl loadtest: ").append(esc(c.endpoint())).append("</h1>");
        h.append("<p>Status: <span class=\"").append(r.valid() ? "valid" : "invalid").append("\">").append(r.status())
                .append("</span>").append(r.statusReason() == null ? "" : " — " + esc(r.statusReason())).append("</p>");
        h.append("<p>").append(esc(String.format(Locale.ROOT, "%s loop, model %s, %s; %d prompts, max_tokens %d; started %s on %s (%d CPUs), chatbotctl %s",
                c.mode(), c.model(), c.mode().equals("open") ? c.rate() + " req/s " + c.arrival() : "concurrency " + c.concurrency(),
                c.prompts(), c.maxTokens(), r.environment().startedAt(), r.environment().host(), r.environment().cpus(),
                r.environment().chatbotctl()))).append("</p>");
        if (sweep != null) {
            h.append("<h2>Sweep over ").append(esc(sweep.parameter())).append("</h2>").append(table(sweep.toTable()));
            h.append("<p>The plots below show the step ").append(sweep.best() == null ? "last run" : "with the highest passing value")
                    .append(".</p>");
        }
        h.append("<h2>Latency (ms)</h2>").append(table(r.toTable()));
        h.append(percentilePlot(r.histograms()));
        h.append(latencyOverTime(r.timeSeries()));
        h.append(throughputOverTime(r.timeSeries()));
        h.append("<h2>Errors</h2>").append(Svg.barChart("errors", "Failed requests by kind", r.results().errors()));
        r.results().errorExamples().forEach((k, v) -> h.append("<p><b>").append(esc(k)).append("</b>: ").append(esc(v)).append("</p>"));
        if (!r.slos().isEmpty()) {
            h.append("<h2>SLOs</h2><table><tr><th>SLO</th><th>observed</th><th>result</th></tr>");
            for (LoadTestResult.SloOutcome s : r.slos()) {
                h.append("<tr><td>").append(esc(s.slo())).append("</td><td>").append(LoadTestResult.f(s.observed()))
                        .append("</td><td class=\"").append(s.passed() ? "valid" : "breach").append("\">")
                        .append(s.passed() ? "met" : "breached").append("</td></tr>");
            }
            h.append("</table>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String table(io.chatbotctl.report.Table t) {
        StringBuilder h = new StringBuilder("<table><tr>");
        t.columns().forEach(col -> h.append("<th>").append(esc(col)).append("</th>"));
        h.append("</tr>");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            row.forEach(cell -> h.append("<td>").append(esc(cell)).append("</td>"));
            h.append("</tr>");
        }
        h.append("</table>");
        for (String note : t.notes()) {
            if (!note.isBlank()) {
                h.append("<div>").append(esc(note)).append("</div>");
            }
        }
        return h.toString();
    }

    /** x = 1/(1-percentile), so 90%, 99%, 99.9% … are evenly spaced, as in HdrHistogram's plotter. */
    private static String percentilePlot(Map<String, Histogram> histograms) {
        List<Svg.Series> series = new ArrayList<>();
        double maxX = 10;
        for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
            Histogram hist = e.getValue();
            if (hist.getTotalCount() == 0) {
                continue;
            }
            List<Svg.Point> points = new ArrayList<>();
            for (HistogramIterationValue v : hist.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) {
                    break;
                }
                double x = 1 / (1 - p);
                maxX = Math.max(maxX, x);
                points.add(new Svg.Point(x, hist.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0));
            }
            points.add(new Svg.Point(Math.max(maxX, 10), hist.getMaxValue() / 1000.0));
            series.add(new Svg.Series(e.getKey(), points));
        }
        List<Svg.Tick> ticks = new ArrayList<>();
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i < labels.length && Math.pow(10, i) <= Math.max(maxX, 10) * 1.0001; i++) {
            ticks.add(new Svg.Tick(Math.pow(10, i), labels[i]));
        }
        return "<h2>Percentile distribution</h2>" + Svg.lineChart("percentiles", "Latency by percentile (HdrHistogram)",
                "percentile", "ms", series, true, ticks);
    }

    private static String latencyOverTime(List<LoadTestResult.TimePoint> points) {
        List<Svg.Series> series = List.of(
                new Svg.Series("ttft p50", pts(points, p -> p.ttftP50Ms())),
                new Svg.Series("ttft p99", pts(points, p -> p.ttftP99Ms())),
                new Svg.Series("itl p99", pts(points, p -> p.itlP99Ms())),
                new Svg.Series("e2e p99", pts(points, p -> p.e2eP99Ms())));
        return "<h2>Over time</h2>" + Svg.lineChart("latency-over-time", "Latency per second of the run", "second", "ms",
                series, false, timeTicks(points));
    }

    private static String throughputOverTime(List<LoadTestResult.TimePoint> points) {
        List<Svg.Series> series = List.of(
                new Svg.Series("requests/s", pts(points, p -> (double) p.requests())),
                new Svg.Series("errors/s", pts(points, p -> (double) p.errors())),
                new Svg.Series("out tokens/s ÷10", pts(points, p -> p.outputTokens() / 10.0)));
        return Svg.lineChart("throughput-over-time", "Throughput per second of the run", "second", "per second",
                series, false, timeTicks(points));
    }

    private static List<Svg.Point> pts(List<LoadTestResult.TimePoint> points,
                                       java.util.function.Function<LoadTestResult.TimePoint, Double> f) {
        List<Svg.Point> list = new ArrayList<>();
        for (LoadTestResult.TimePoint p : points) {
            Double y = f.apply(p);
            if (y != null && !Double.isNaN(y)) {
                list.add(new Svg.Point(p.second(), y));
            }
        }
        return list;
    }

    private static List<Svg.Tick> timeTicks(List<LoadTestResult.TimePoint> points) {
        double last = points.isEmpty() ? 1 : Math.max(1, points.get(points.size() - 1).second());
        double step = Svg.niceCeiling(last / 6);
        List<Svg.Tick> ticks = new ArrayList<>();
        for (double t = 0; t <= last + 1e-9; t += step) {
            ticks.add(new Svg.Tick(t, LoadTestResult.f(t).replaceAll("\\.0+$", "") + "s"));
        }
        return ticks;
    }
}
