package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes objects as kubectl kustomize does (go-yaml's emitter): block style, keys sorted, sequences not indented
 * under their key, plain scalars where a YAML 1.1 reader keeps them strings, else single or double quotes,
 * literal blocks for multi-line strings, lines folded at 80 columns. SnakeYAML shares go-yaml's emitter design
 * (both descend from libyaml), so the choices match.
 */
final class YamlEmitter {
    private YamlEmitter() {}

    private static final class Holder {
        static final Yaml YAML = create();
    }

    private static Yaml create() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(80);
        options.setSplitLines(true);
        options.setAllowUnicode(true);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new QuotingRepresenter(options), options, new Yaml11Resolver());
    }

    static String write(JsonNode node) {
        return Holder.YAML.dump(toJava(node));
    }

    private static Object toJava(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), toJava(e.getValue()));
            }
            return new LinkedHashMap<>(sorted);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item)));
            return list;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isFloatingPointNumber()) {
            return goFloat(node.doubleValue());
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.asText();
    }

    /**
     * kubectl prints numbers after a trip through JSON's float64, formatted like Go's {@code %g} shortest form:
     * {@code 3.0} and {@code 1e3} come out as {@code 3} and {@code 1000}, {@code 1.50} as {@code 1.5}.
     */
    private static Object goFloat(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double abs = Math.abs(value);
        if (value == Math.rint(value) && abs < 1e21) {
            return new java.math.BigDecimal(value).toBigInteger();
        }
        if (abs >= 1e-4) {
            return new PlainNumber(new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
        }
        return value;
    }

    /** A number already formatted; written without quotes. */
    record PlainNumber(String text) {
    }

    /** Treats every YAML 1.1 implicit value (and go-yaml's y/n booleans) as not-a-string, so it gets quoted. */
    private static final class Yaml11Resolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            if (kind == NodeId.scalar && implicit && Tag.STR.equals(tag) && Yaml11Quoting.looksImplicit(value)) {
                return Tag.FLOAT;
            }
            return tag;
        }
    }

    /** go-yaml double-quotes a string that would read back as another type; otherwise the emitter chooses. */
    private static final class QuotingRepresenter extends Representer {
        private final Resolver resolver = new Yaml11Resolver();

        QuotingRepresenter(DumperOptions options) {
            super(options);
            this.representers.put(PlainNumber.class, data -> representScalar(Tag.FLOAT, ((PlainNumber) data).text()));
            Represent strings = this.representers.get(String.class);
            this.representers.put(String.class, data -> {
                String value = data.toString();
                if (!Tag.STR.equals(resolver.resolve(NodeId.scalar, value, true)) && !value.contains("\n")) {
                    return representScalar(Tag.STR, value, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                return strings.representData(data);
            });
        }
    }
}
