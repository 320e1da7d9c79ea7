package io.chatbotctl.cli;

import io.chatbotctl.runbook.Confirmer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Asks "... [y/N]" on stderr and reads the answer from standard input; only y or yes is a yes, end of input a no. */
final class TerminalConfirmer implements Confirmer {
    private final BufferedReader in;
    private final PrintWriter err;

    TerminalConfirmer(InputStream in, PrintWriter err) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.err = err;
    }

    @Override
    public boolean confirm(String question) {
        err.print(question + " [y/N] ");
        err.flush();
        try {
            String answer = in.readLine();
            if (answer == null) {
                err.println();
                err.flush();
                return false;
            }
            String a = answer.strip().toLowerCase(java.util.Locale.ROOT);
            return a.equals("y") || a.equals("yes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
