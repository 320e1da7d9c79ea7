package io.chatbotctl.core;

/**
 * Progress of long work (sync, rollout wait, load test, eval run). The CLI shows it as a live line on a terminal
 * and as periodic plain lines otherwise; domain code only reports.
 */
public interface Progress {
    /** The current state in one short line, e.g. {@code 1.2 GiB / 4.8 GiB  310 MiB/s  ETA 12s}. Called as often as convenient. */
    void update(String line);

    /** A line that must always be shown (a step finished, a warning). */
    void log(String line);

    Progress NONE = new Progress() {
        @Override
        public void update(String line) {}

        @Override
        public void log(String line) {}
    };
}
