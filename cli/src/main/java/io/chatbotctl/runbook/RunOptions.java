package io.chatbotctl.runbook;

import java.nio.file.Path;

/**
 * How a runbook runs.
 *
 * @param yes        apply every action without asking (pipelines)
 * @param dryRun     print every action it would take and change nothing (wins over {@code yes})
 * @param force      allow deleting or evicting the last ready pod
 * @param pod        look only at this pod (null: every vllm-chatbot pod)
 * @param node       look only at this node (null: every node)
 * @param transcript where the Markdown transcript goes
 */
public record RunOptions(boolean yes, boolean dryRun, boolean force, String pod, String node, Path transcript) {
}
