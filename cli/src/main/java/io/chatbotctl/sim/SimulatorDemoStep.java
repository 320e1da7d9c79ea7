package io.chatbotctl.sim;

import io.chatbotctl.core.DemoContext;
import io.chatbotctl.core.DemoStep;

/** The demo's first step: an in-process simulator with the fast profile, its URL left for the next steps. */
public final class SimulatorDemoStep implements DemoStep {
    @Override
    public String title() {
        return "start the vLLM simulator";
    }

    @Override
    public String run(DemoContext context) {
        Simulator sim = Simulator.start(SimConfig.builder().profile(SimProfile.FAST).port(0).build());
        context.closeAtEnd(sim);
        context.put(DemoContext.ENDPOINT, sim.baseUrl());
        SimConfig c = sim.config();
        return "listening on " + sim.baseUrl() + " (profile " + c.profile() + ", " + c.maxNumSeqs()
                + " slots, model " + c.model() + ")";
    }
}
