#!/usr/bin/python3
"""An OpenAI-compatible streaming server with a fixed time to first token, to check load generators against.

It shares no code with chatbotctl (not its simulator, not its HTTP or SSE code): Python's standard library only
(asyncio). Every chat completion's first content token is written TTFT after the request arrived (the moment its
first bytes were read), the later tokens ITL apart on absolute deadlines, then the finish chunk, a usage chunk when
asked for, and [DONE]. For each completion it logs, as one JSON line, its own truth: the time from the request's
arrival to the write of its first content token ("first_token_ms"), the moment of that write on the machine's
monotonic clock ("first_token_monotonic_ns", CLOCK_MONOTONIC: the clock of Java's System.nanoTime on Linux; GET /clock
tells the server's reading of it), the response id and max_tokens. Its own event loop's lateness
(a 1 ms timer's oversleep, jHiccup-style: a 30 ms stall counts for every millisecond in it) is served at
GET /loop-lag as {"p50_ms", "p99_ms", "max_ms"} since the last GET /loop-lag?reset: a busy machine delays the
server's reading of requests, which then counts against the client.

usage: loadtest_ttft_server.py --log FILE [--port 0] [--ttft-ms 150] [--itl-ms 20] [--model fixed] [--exit-on-stdin-eof]
Prints "listening PORT" on stdout once it accepts connections; stops on SIGTERM (or when stdin closes, if asked).
"""
import argparse
import asyncio
import itertools
import json
import signal
import socket
import sys
import time

LAG = []
IDS = itertools.count(1)


async def measure_loop_lag():
    loop = asyncio.get_running_loop()
    while True:
        start = loop.time()
        await asyncio.sleep(0.001)
        late = max(0.0, loop.time() - start - 0.001)
        LAG.append(late)
        fill = late - 0.001
        while fill > 0:  # the moments inside a stall were late too
            LAG.append(fill)
            fill -= 0.001


def lag_percentile(p):
    if not LAG:
        return 0.0
    v = sorted(LAG)
    return round(v[max(0, int(len(v) * p / 100 + 0.5) - 1)] * 1000, 3)


class Completion:
    """One streamed answer: its chunks are written on absolute deadlines measured from the request's arrival."""

    def __init__(self, conn, arrived, body, args):
        self.conn = conn
        self.arrived = arrived
        self.tokens = max(1, int(body.get("max_tokens") or 16))
        self.usage = bool((body.get("stream_options") or {}).get("include_usage"))
        self.model = body.get("model") or args.model
        self.id = "chatcmpl-%d" % next(IDS)
        self.created = int(time.time())
        self.ttft = args.ttft_ms / 1000
        self.itl = args.itl_ms / 1000
        self.log = args.log_file
        self.sent = 0

    def start(self, loop):
        # every chunk's text is made now, before the first deadline: on the deadlines the server only writes
        self.role = self.event({"role": "assistant", "content": ""})
        self.plain = self.event({"content": " tok"})
        final = self.event({"content": " tok"}, "length")
        if self.usage:
            final += "data: " + json.dumps({"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                                            "model": self.model, "choices": [],
                                            "usage": {"prompt_tokens": 10, "completion_tokens": self.tokens,
                                                      "total_tokens": 10 + self.tokens}}, separators=(",", ":")) + "\n\n"
        self.final = final + "data: [DONE]\n\n"
        self.conn.write_head(200, "text/event-stream", chunked=True)
        loop.call_at(self.arrived + self.ttft, self.token)

    def event(self, delta, finish=None):
        return "data: " + json.dumps({"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                                      "model": self.model, "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                                                        "finish_reason": finish}]},
                                     separators=(",", ":")) + "\n\n"

    def token(self):
        if self.conn.closed:
            return
        self.sent += 1
        last = self.sent == self.tokens
        payload = (self.role if self.sent == 1 else "") + (self.final if last else self.plain)
        self.conn.write_chunk(payload.encode(), last)
        if self.sent == 1:
            first_ns = time.monotonic_ns()
            self.log.write(json.dumps({"id": self.id, "first_token_ms": round((first_ns / 1e9 - self.arrived) * 1000, 4),
                                       "first_token_monotonic_ns": first_ns, "max_tokens": self.tokens}) + "\n")
        if last:
            self.conn.done()
        else:
            asyncio.get_running_loop().call_at(self.arrived + self.ttft + self.sent * self.itl, self.token)


class Connection(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; one request at a time (clients do not pipeline)."""

    def __init__(self, args):
        self.args = args
        self.buffer = bytearray()
        self.arrived = None
        self.busy = False
        self.closed = False
        self.transport = None
        self.query = ""

    def connection_made(self, transport):
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc):
        self.closed = True

    def data_received(self, data):
        # stamp first, parse later: a burst of requests is stamped as it arrives, not after the others' parsing
        if self.arrived is None:
            self.arrived = time.monotonic()
        self.buffer += data
        asyncio.get_running_loop().call_soon(self.parse)

    def parse(self):
        if self.busy or self.closed:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        lines = self.buffer[:end].decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(self.buffer) < end + 4 + length:
            return
        body = bytes(self.buffer[end + 4:end + 4 + length])
        del self.buffer[:end + 4 + length]
        arrived = self.arrived
        self.arrived = time.monotonic() if self.buffer else None
        self.busy = True
        self.query = path.partition("?")[2]
        self.handle(method, path.split("?")[0], body, arrived)

    def handle(self, method, path, body, arrived):
        if method == "GET" and path in ("/v1/models", "/models"):
            self.reply(200, {"object": "list", "data": [{"id": self.args.model, "object": "model", "owned_by": "test"}]})
        elif method == "GET" and path == "/loop-lag":
            document = {"p50_ms": lag_percentile(50), "p99_ms": lag_percentile(99), "max_ms": lag_percentile(100)}
            if "reset" in self.query:
                LAG.clear()
            self.reply(200, document)
        elif method == "GET" and path == "/clock":
            self.reply(200, {"monotonic_ns": time.monotonic_ns()})
        elif method == "GET" and path == "/health":
            self.reply(200, {})
        elif method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
            try:
                request = json.loads(body)
            except ValueError:
                self.reply(400, {"error": {"message": "invalid JSON", "type": "BadRequestError", "code": 400}})
                return
            if not request.get("stream"):
                self.reply(400, {"error": {"message": "this server only streams", "type": "BadRequestError", "code": 400}})
                return
            Completion(self, arrived, request, self.args).start(asyncio.get_running_loop())
        else:
            self.reply(404, {"error": {"message": "not found", "type": "NotFoundError", "code": 404}})

    def reply(self, status, document):
        data = json.dumps(document).encode()
        self.write_head(status, "application/json", length=len(data))
        self.transport.write(data)
        self.done()

    def write_head(self, status, content_type, chunked=False, length=0):
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
        framing = "Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % length
        self.transport.write(("HTTP/1.1 %d %s\r\nContent-Type: %s\r\n%s\r\n\r\n"
                              % (status, reason, content_type, framing)).encode("latin-1"))

    def write_chunk(self, data, last):
        self.transport.write(b"%x\r\n%s\r\n%s" % (len(data), data, b"0\r\n\r\n" if last else b""))

    def done(self):
        self.busy = False
        if self.buffer:
            asyncio.get_running_loop().call_soon(self.parse)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ttft-ms", type=float, default=150)
    parser.add_argument("--itl-ms", type=float, default=20)
    parser.add_argument("--model", default="fixed")
    parser.add_argument("--log", required=True)
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when the parent closes stdin")
    args = parser.parse_args()
    args.log_file = open(args.log, "a", buffering=1)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(args), "127.0.0.1", args.port, backlog=4096)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    if args.exit_on_stdin_eof:
        loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.buffer.read1(1) or stop.done() or stop.set_result(None))
    lag = asyncio.ensure_future(measure_loop_lag())
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    await stop
    lag.cancel()
    server.close()
    args.log_file.close()


if __name__ == "__main__":
    asyncio.run(main())
