package io.chatbotctl.cli;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.Percentages;
import io.chatbotctl.core.Sizes;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** picocli converters for the shared units; a value that does not parse is a usage error (exit 2), one out of range bad input (3). */
public final class Converters {
    private Converters() {}

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}. Registered for every {@link Duration} option. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (ChatbotctlException e) {
                throw new TypeConversionException(e.getMessage() + " (" + e.hint() + ")");
            }
        }
    }

    /** {@code 16MiB}, {@code 1GB}: use with {@code converter = SizeConverter.class} on a {@code long} option. */
    public static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Sizes.parseBytes(value);
            } catch (ChatbotctlException e) {
                throw new TypeConversionException(e.getMessage() + " (" + e.hint() + ")");
            }
        }
    }

    /** {@code 1%} or {@code 0.01}, as a fraction: use with {@code converter = FractionConverter.class} on a {@code double}. */
    public static final class FractionConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double fraction;
            try {
                fraction = Percentages.parseUnbounded(value);
            } catch (ChatbotctlException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return Percentages.checkRange(value, fraction); // out of range is bad input (exit 3), see ErrorHandler
        }
    }
}
