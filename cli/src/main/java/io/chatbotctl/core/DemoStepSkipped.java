package io.chatbotctl.core;

/**
 * Thrown by {@link DemoStep#run} when the step did not run because something it needs is missing on this machine.
 * The demo shows it as SKIPPED with {@link #toRun()}, never as ok, and does not count it among the steps that ran.
 */
public final class DemoStepSkipped extends Exception {
    private final String toRun;

    /**
     * @param reason what is missing, e.g. {@code /usr/bin/prometheus is not installed}
     * @param toRun  the command that makes the step run, e.g. {@code sudo apt-get install -y prometheus}
     */
    public DemoStepSkipped(String reason, String toRun) {
        super(reason, null, false, false);
        this.toRun = toRun;
    }

    public String toRun() {
        return toRun;
    }
}
