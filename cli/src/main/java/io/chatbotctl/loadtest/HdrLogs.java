package io.chatbotctl.loadtest;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HdrHistogram interval logs, one file per metric ({@code ttft.hlog}, …), one interval per second, values in
 * microseconds (the log's max column in milliseconds). Timestamps are absolute (a {@code #[BaseTime: …]} header
 * in epoch seconds), so logs of several runs or hosts merge with HdrHistogram's own tools. Written to temporary
 * names and renamed when the run ends.
 */
final class HdrLogs implements AutoCloseable {
    private final Path dir;
    private final long baseMillis;
    private final Map<String, HistogramLogWriter> writers = new LinkedHashMap<>();
    private final Map<String, PrintStream> streams = new LinkedHashMap<>();

    HdrLogs(Path dir, Iterable<String> metrics, long startEpochMillis) {
        this.dir = dir;
        this.baseMillis = startEpochMillis;
        try {
            Files.createDirectories(dir);
            for (String metric : metrics) {
                PrintStream stream = new PrintStream(temp(metric).toFile(), java.nio.charset.StandardCharsets.UTF_8);
                HistogramLogWriter writer = new HistogramLogWriter(stream);
                writer.outputComment("chatbotctl loadtest: " + metric + " in microseconds");
                writer.outputLogFormatVersion();
                writer.outputStartTime(startEpochMillis);
                writer.setBaseTime(startEpochMillis);
                writer.outputBaseTime(startEpochMillis);
                writer.outputLegend();
                writers.put(metric, writer);
                streams.put(metric, stream);
            }
        } catch (FileNotFoundException e) {
            throw new InvalidInputException("cannot write HDR logs into " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    void write(Map<String, Histogram> intervals) {
        intervals.forEach((metric, histogram) -> {
            HistogramLogWriter writer = writers.get(metric);
            if (writer != null) {
                histogram.setTag(metric);
                writer.outputIntervalHistogram((histogram.getStartTimeStamp() - baseMillis) / 1000.0,
                        (histogram.getEndTimeStamp() - baseMillis) / 1000.0, histogram, 1000.0);
            }
        });
    }

    private Path temp(String metric) {
        return dir.resolve("." + metric + ".hlog.tmp");
    }

    @Override
    public void close() {
        for (Map.Entry<String, PrintStream> e : streams.entrySet()) {
            e.getValue().close();
            try {
                Files.move(temp(e.getKey()), dir.resolve(e.getKey() + ".hlog"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ex) {
                throw new ExternalSystemException("cannot finish HDR log " + e.getKey() + ".hlog in " + dir + ": " + ex.getMessage());
            }
        }
    }
}
