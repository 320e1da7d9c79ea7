package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/** A {@code check} step: reads the cluster or Prometheus and classifies what it finds. */
interface Check {
    List<Finding> run(RunContext context, Map<String, Object> params);
}
