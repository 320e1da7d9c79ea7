package io.chatbotctl.canary;

import io.chatbotctl.core.Progress;

/** What the watch changes on the cluster; absent in a dry run or a replay. */
public interface CanaryTraffic {
    /** Sends this percentage of the traffic to the canary. */
    void setWeight(int percent);

    /** The stable Deployment takes the canary's image (rollout waited for), then the canary objects are removed. */
    String promote(Progress progress);

    /** Weight 0, then the canary objects are removed. */
    String rollback(Progress progress);
}
