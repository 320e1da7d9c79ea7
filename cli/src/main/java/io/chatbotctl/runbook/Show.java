package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/** A {@code show} step: puts what a person would look at (logs, events, nvidia-smi) into the output and transcript. */
interface Show {
    /**
     * @param selected the findings the step's condition picked (the pods or nodes to look at)
     * @return the lines to show
     */
    List<String> show(RunContext context, Map<String, Object> params, List<Finding> selected);
}
