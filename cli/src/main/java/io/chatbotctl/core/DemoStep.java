package io.chatbotctl.core;

/** One step of {@code chatbotctl demo}. Each capability adds its own step to {@code cli.DemoCommand#steps()}. */
public interface DemoStep {
    /** A short title, e.g. {@code start the vLLM simulator}. */
    String title();

    /**
     * Runs the step and returns a one-line summary of what it found. Throw a ChatbotctlException to fail the demo,
     * or {@link DemoStepSkipped} when the step cannot run on this machine (it is then shown as SKIPPED, not ok).
     */
    String run(DemoContext context) throws Exception;
}
