package io.chatbotctl.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler of one simulated GPU: {@code max-num-seqs} running slots, a FIFO waiting queue, and a KV cache of
 * {@code kv-capacity-tokens} holding each running request's prompt and generated tokens in blocks of
 * {@value #BLOCK_TOKENS} tokens (vLLM's default block size). A request is admitted when a slot is free and its blocks
 * fit; when a new block does not fit, the most recently admitted running request is
 * preempted (vLLM's recompute preemption): it loses its KV cache, goes back to the head of the queue and is
 * prefilled again (prompt and the tokens it already generated) when it is admitted again.
 */
final class Engine {
    static final int BLOCK_TOKENS = 16;

    private final int maxNumSeqs;
    private final long kvCapacity;
    private final SimMetrics metrics;
    private final ArrayDeque<Generation> waiting = new ArrayDeque<>();
    private final List<Generation> running = new ArrayList<>();
    private long kvUsed;
    private volatile int runningCount;
    private volatile int waitingCount;
    private volatile long kvUsedSnapshot;

    Engine(int maxNumSeqs, long kvCapacity, SimMetrics metrics) {
        this.maxNumSeqs = maxNumSeqs;
        this.kvCapacity = kvCapacity;
        this.metrics = metrics;
        metrics.gauges(() -> runningCount, () -> waitingCount, this::kvUsage);
    }

    int running() {
        return runningCount;
    }

    int waiting() {
        return waitingCount;
    }

    double kvUsage() {
        return (double) kvUsedSnapshot / kvCapacity;
    }

    synchronized void submit(Generation g) {
        waiting.addLast(g);
        admit();
    }

    /**
     * Reserves the KV slot of the next token; false when {@code g} is no longer running (preempted or ended).
     * Takes the lock only when the token needs a new block.
     */
    boolean advance(Generation g) {
        if (g.state != Generation.State.RUNNING) {
            return false;
        }
        if (g.contextTokens() < g.kvTokens) {
            return true;
        }
        return allocateBlock(g);
    }

    private synchronized boolean allocateBlock(Generation g) {
        if (g.state != Generation.State.RUNNING) {
            return false;
        }
        while (kvUsed + BLOCK_TOKENS > kvCapacity) {
            Generation victim = running.get(running.size() - 1);
            preempt(victim);
            if (victim == g) {
                publish();
                return false;
            }
        }
        kvUsed += BLOCK_TOKENS;
        g.kvTokens += BLOCK_TOKENS;
        publish();
        return true;
    }

    /** {@code g} ended (finished, aborted or disconnected): frees its slot and KV cache, admits who waits. */
    synchronized void finish(Generation g) {
        if (g.state == Generation.State.RUNNING) {
            running.remove(g);
            kvUsed -= g.kvTokens;
            g.kvTokens = 0;
        } else if (g.state == Generation.State.WAITING) {
            waiting.remove(g);
        }
        g.state = Generation.State.DONE;
        admit();
    }

    /** Tokens of the blocks that hold {@code tokens}. */
    static long blocks(long tokens) {
        return (tokens + BLOCK_TOKENS - 1) / BLOCK_TOKENS * BLOCK_TOKENS;
    }

    private void preempt(Generation victim) {
        running.remove(victim);
        kvUsed -= victim.kvTokens;
        victim.kvTokens = 0;
        victim.state = Generation.State.WAITING;
        waiting.addFirst(victim);
        metrics.preempted();
        victim.preempted();
    }

    private void admit() {
        long now = 0;
        while (!waiting.isEmpty() && running.size() < maxNumSeqs) {
            Generation g = waiting.peekFirst();
            long need = blocks(g.contextTokens());
            if (kvUsed + need > kvCapacity) {
                break;
            }
            waiting.pollFirst();
            running.add(g);
            g.state = Generation.State.RUNNING;
            g.kvTokens = need;
            kvUsed += need;
            if (now == 0) {
                now = System.nanoTime();
            }
            g.admitted(now);
        }
        publish();
    }

    private void publish() {
        runningCount = running.size();
        waitingCount = waiting.size();
        kvUsedSnapshot = kvUsed;
    }
}
