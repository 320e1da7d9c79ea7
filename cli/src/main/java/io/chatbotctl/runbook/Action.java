package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;

/** An {@code act} step: works out what it would change, which the runner then asks about, applies or only prints. */
interface Action {
    Proposal propose(RunContext context, Map<String, Object> params, List<Finding> selected);
}
