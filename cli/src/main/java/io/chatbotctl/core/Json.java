package io.chatbotctl.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The project's Jackson mappers, configured once: ISO-8601 times, no nulls, fields in declaration order.
 * Created lazily so commands that print no JSON never pay for Jackson's start-up.
 */
public final class Json {
    private Json() {}

    private static final class JsonHolder {
        static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());
    }

    private static final class YamlHolder {
        static final ObjectMapper MAPPER = configure(new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build()));
    }

    public static ObjectMapper mapper() {
        return JsonHolder.MAPPER;
    }

    public static ObjectMapper yaml() {
        return YamlHolder.MAPPER;
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** What is wrong in a JSON text, for a user: the first line of Jackson's message without its source location. */
    public static String problem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        return message.replaceFirst(" \\(start marker at \\[Source:.*", "");
    }
}
