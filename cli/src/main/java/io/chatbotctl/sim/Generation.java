package io.chatbotctl.sim;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request's life in the engine: waiting, prefill, then one token per inter-token gap, on its connection's event
 * loop. Decoding starts when the first token is out; then tokens follow the engine's clock: each deadline is the
 * previous deadline plus one gap, so timer lateness does not add up, and tokens that fell due while the simulator's threads were held up go out together, the way a real
 * GPU keeps decoding while vLLM's API server falls behind.
 * {@link #state} and {@link #kvTokens} belong to the {@link Engine} (its lock); everything else to the event loop.
 */
final class Generation {
    enum State { WAITING, RUNNING, DONE }

    volatile State state = State.WAITING;
    volatile long kvTokens;

    private final SimContext sim;
    private final Channel channel;
    private final EventLoop loop;
    private final Sink sink;
    private final String id;
    private final String handler;
    private final boolean stream;
    private final long arrivalNanos;
    private final int promptTokens;
    private final String[] pieces;
    private final String finishReason;
    private final int stallAt;
    private final int disconnectAt;
    /** Kept only for the request log. */
    private final int[] interTokenMicros;

    private volatile int generated;
    private boolean ended;
    private int epoch;
    private int preemptions;
    private long firstScheduledNanos;
    private long firstTokenNanos;
    private long firstTokenWrittenNanos;
    private long lastTokenNanos;
    private long deadline;
    private ScheduledFuture<?> timer;

    Generation(SimContext sim, Channel channel, Sink sink, String id, String handler, boolean stream,
               long arrivalNanos, int promptTokens, String[] pieces, String finishReason, int stallAt,
               int disconnectAt) {
        this.sim = sim;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.sink = sink;
        this.id = id;
        this.handler = handler;
        this.stream = stream;
        this.arrivalNanos = arrivalNanos;
        this.promptTokens = promptTokens;
        this.pieces = pieces;
        this.finishReason = finishReason;
        this.stallAt = stallAt;
        this.disconnectAt = disconnectAt;
        this.interTokenMicros = sim.requestLog.enabled() ? new int[Math.max(0, pieces.length - 1)] : new int[0];
    }

    /** Tokens its KV cache needs when it is (re)admitted: the prompt and what it generated before a preemption. */
    long contextTokens() {
        return promptTokens + generated;
    }

    /** Called by the engine, under its lock, when a slot is given. */
    void admitted(long nowNanos) {
        loop.execute(() -> startPrefill(nowNanos));
    }

    /** Called by the engine, under its lock, when the KV cache is taken away. */
    void preempted() {
        loop.execute(() -> {
            epoch++;
            preemptions++;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        });
    }

    private void startPrefill(long admittedNanos) {
        if (ended) {
            return;
        }
        if (firstScheduledNanos == 0) {
            firstScheduledNanos = admittedNanos;
        }
        long prefill = sim.config.prefillPer1kTokens().toNanos() * contextTokens() / 1000;
        deadline = admittedNanos + prefill;
        scheduleNext();
    }

    private void scheduleNext() {
        int myEpoch = epoch;
        long delay = deadline - System.nanoTime();
        if (delay <= 0) {
            emit(myEpoch);
        } else {
            timer = loop.schedule(() -> emit(myEpoch), delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Emits every token that is due; schedules the next one. */
    private void emit(int myEpoch) {
        while (true) {
            if (ended || epoch != myEpoch || !channel.isActive()) {
                sink.flush(this::firstWritten);
                return;
            }
            if (!sim.engine.advance(this)) {
                sink.flush(this::firstWritten);
                return;
            }
            long now = System.nanoTime();
            int index = generated;
            boolean last = index == pieces.length - 1;
            sink.token(pieces[index], last ? finishReason : null);
            generated = index + 1;
            sim.metrics.generationToken();
            if (index == 0) {
                deadline = now; // decoding starts when the first token is out
                firstTokenNanos = now;
                sim.metrics.firstToken(promptTokens, seconds(now - arrivalNanos));
            } else if (lastTokenNanos != 0) {
                sim.metrics.interToken(seconds(now - lastTokenNanos));
                if (index <= interTokenMicros.length) {
                    interTokenMicros[index - 1] = (int) Math.min(Integer.MAX_VALUE, (now - lastTokenNanos) / 1000);
                }
            }
            lastTokenNanos = now;
            if (last) {
                sink.flush(this::firstWritten);
                complete(now);
                return;
            }
            if (generated == disconnectAt) {
                sink.flush(this::firstWritten);
                disconnect();
                return;
            }
            long gap = nextGap();
            deadline += gap;
            if (generated == stallAt) {
                deadline = Math.max(deadline, now) + sim.config.stall().toNanos();
            }
            if (deadline - System.nanoTime() > 0) {
                sink.flush(this::firstWritten);
                int e = epoch;
                timer = loop.schedule(() -> emit(e), deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    private long nextGap() {
        SimConfig c = sim.config;
        long itl = c.itl().toNanos();
        if (itl == 0) {
            return 0;
        }
        double factor = 1.0;
        if (c.batchSlowdown() > 0 && c.maxNumSeqs() > 1) {
            factor += c.batchSlowdown() * (sim.engine.running() - 1) / (c.maxNumSeqs() - 1);
        }
        if (c.itlJitter() > 0) {
            factor *= 1 + c.itlJitter() * (2 * sim.random.nextDouble() - 1);
        }
        return (long) (itl * factor);
    }

    private void firstWritten(long nanos) {
        if (firstTokenWrittenNanos == 0) {
            firstTokenWrittenNanos = nanos;
        }
    }

    private void complete(long now) {
        ended = true;
        sim.engine.finish(this);
        SimMetrics m = sim.metrics;
        m.finished(finishReason);
        int n = generated;
        m.completed(seconds(now - arrivalNanos), seconds(firstScheduledNanos - arrivalNanos),
                seconds(firstTokenNanos - firstScheduledNanos), seconds(now - firstTokenNanos),
                n > 1 ? seconds(now - firstTokenNanos) / (n - 1) : 0.0, promptTokens, n);
        sink.finish(promptTokens, n, end -> log(end, 200, finishReason));
    }

    private void disconnect() {
        ended = true;
        sim.engine.finish(this);
        sim.metrics.finished("abort");
        log(System.nanoTime(), 200, "disconnect");
        channel.close();
    }

    /** The client went away before the end (the connection closed). */
    void aborted() {
        if (ended) {
            return;
        }
        ended = true;
        if (timer != null) {
            timer.cancel(false);
        }
        sim.engine.finish(this);
        sim.metrics.finished("abort");
        log(System.nanoTime(), stream ? 200 : 499, "abort");
    }

    boolean ended() {
        return ended;
    }

    private void log(long endNanos, int status, String outcome) {
        long first = stream ? firstTokenWrittenNanos : firstTokenNanos;
        long queue = firstScheduledNanos == 0 ? 0 : firstScheduledNanos - arrivalNanos;
        sim.requestLog.add(new RequestRecord(id, handler, stream, arrivalNanos, first, endNanos, queue, promptTokens,
                generated, status, outcome, preemptions,
                Arrays.copyOf(interTokenMicros, Math.min(interTokenMicros.length, Math.max(0, generated - 1)))));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
