package io.chatbotctl.eval;

import io.chatbotctl.core.AtomicFiles;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML in the Ant/Surefire format CI systems read: {@code <testsuites>} with one {@code <testsuite>} per
 * category ({@code eval.CATEGORY}) and one {@code <testcase>} per eval case; a quality failure is a
 * {@code <failure>}, an infrastructure error an {@code <error>}. The gate adds a suite {@code eval.gate} with one
 * test case per rule (an inconclusive rule is an {@code <error>}).
 */
public final class JunitReport {
    private JunitReport() {}

    public static void writeRun(Path file, EvalResults results) {
        write(file, results, null);
    }

    public static void writeGate(Path file, GateResult gate) {
        write(file, gate.results(), gate.checks());
    }

    private static void write(Path file, EvalResults results, List<GateCheck> checks) {
        AtomicFiles.write(file, out -> {
            try {
                xml(out, results, checks);
            } catch (XMLStreamException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        });
    }

    private static void xml(OutputStream out, EvalResults results, List<GateCheck> checks) throws XMLStreamException {
        XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
        Map<String, List<CaseResult>> byCategory = new LinkedHashMap<>();
        results.cases().forEach(c -> byCategory.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c));
        boolean repeated = results.repeated();
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("testsuites");
        w.writeAttribute("name", "chatbotctl eval " + results.fingerprint().modelId());
        int failures = (int) results.cases().stream().filter(CaseResult::failed).count();
        int errors = (int) results.cases().stream().filter(CaseResult::errored).count();
        int tests = results.cases().size();
        if (checks != null) {
            tests += checks.size();
            failures += (int) checks.stream().filter(c -> c.status().equals(GateCheck.FAIL)).count();
            errors += (int) checks.stream().filter(c -> c.status().equals(GateCheck.INCONCLUSIVE)).count();
        }
        w.writeAttribute("tests", String.valueOf(tests));
        w.writeAttribute("failures", String.valueOf(failures));
        w.writeAttribute("errors", String.valueOf(errors));
        w.writeAttribute("time", seconds(results.summary().durationSeconds()));
        int id = 0;
        for (Map.Entry<String, List<CaseResult>> e : byCategory.entrySet()) {
            List<CaseResult> cases = e.getValue();
            double time = cases.stream().mapToDouble(c -> c.latencyMillis() == null ? 0 : c.latencyMillis() / 1000).sum();
            suiteStart(w, "eval." + e.getKey(), id++, results, cases.size(),
                    (int) cases.stream().filter(CaseResult::failed).count(),
                    (int) cases.stream().filter(CaseResult::errored).count(), time);
            for (CaseResult c : cases) {
                w.writeStartElement("testcase");
                w.writeAttribute("name", c.displayId(repeated));
                w.writeAttribute("classname", "eval." + c.category());
                w.writeAttribute("time", seconds(c.latencyMillis() == null ? 0 : c.latencyMillis() / 1000));
                if (c.failed()) {
                    problem(w, "failure", "[" + c.severity() + "] " + c.why(), "EvalAssertionFailure",
                            details(c));
                } else if (c.errored()) {
                    problem(w, "error", c.error(), "InfrastructureError", "after " + c.attempts() + " attempts: " + c.error());
                }
                if (c.answer() != null) {
                    w.writeStartElement("system-out");
                    w.writeCharacters(c.answer());
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        if (checks != null) {
            suiteStart(w, "eval.gate", id, results, checks.size(),
                    (int) checks.stream().filter(c -> c.status().equals(GateCheck.FAIL)).count(),
                    (int) checks.stream().filter(c -> c.status().equals(GateCheck.INCONCLUSIVE)).count(), 0);
            for (GateCheck c : checks) {
                w.writeStartElement("testcase");
                w.writeAttribute("name", c.name());
                w.writeAttribute("classname", "eval.gate");
                w.writeAttribute("time", "0");
                String text = c.actual() + " (limit " + c.limit() + ")" + (c.detail().isEmpty() ? "" : ": " + c.detail());
                if (c.status().equals(GateCheck.FAIL)) {
                    problem(w, "failure", text, "GateRuleFailed", text);
                } else if (c.status().equals(GateCheck.INCONCLUSIVE)) {
                    problem(w, "error", text, "Inconclusive", text);
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
        w.flush();
        w.close();
    }

    private static void suiteStart(XMLStreamWriter w, String name, int id, EvalResults results, int tests, int failures,
                                   int errors, double time) throws XMLStreamException {
        w.writeCharacters("\n");
        w.writeStartElement("testsuite");
        w.writeAttribute("name", name);
        w.writeAttribute("package", "eval");
        w.writeAttribute("id", String.valueOf(id));
        w.writeAttribute("hostname", "chatbotctl");
        w.writeAttribute("timestamp", results.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString().replace("Z", ""));
        w.writeAttribute("tests", String.valueOf(tests));
        w.writeAttribute("failures", String.valueOf(failures));
        w.writeAttribute("errors", String.valueOf(errors));
        w.writeAttribute("skipped", "0");
        w.writeAttribute("time", seconds(time));
        w.writeEmptyElement("properties");
    }

    private static void problem(XMLStreamWriter w, String element, String message, String type, String body) throws XMLStreamException {
        w.writeStartElement(element);
        w.writeAttribute("message", message == null ? "" : message);
        w.writeAttribute("type", type);
        w.writeCharacters(body == null ? "" : body);
        w.writeEndElement();
    }

    private static String details(CaseResult c) {
        StringBuilder sb = new StringBuilder();
        sb.append("input: ").append(c.input()).append('\n').append("answer: ").append(c.answer()).append('\n');
        sb.append("score ").append(Judge.round(c.score() == null ? 0 : c.score()));
        sb.append(c.threshold() == null ? " (every assertion must pass)" : " (threshold " + c.threshold() + ")").append('\n');
        for (AssertionResult a : c.assertions()) {
            sb.append(a.pass() ? "  ok   " : "  FAIL ").append(a.type()).append(": ").append(a.reason()).append('\n');
        }
        return sb.toString();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
