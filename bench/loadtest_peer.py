#!/usr/bin/python3
"""The load-test script this service started with, re-created as the benchmark's peer.

Written the way the original works: asyncio, a semaphore for concurrency, one streamed chat completion per task,
TTFT at the first content chunk, total latency, P50/P90/P99 and tokens/s. The original used the `openai` package;
it is not available as a Debian package, so this uses httpx (Debian's python3-httpx), which the openai package is
built on. Prints one JSON line with the results.

usage: loadtest_peer.py URL CONCURRENCY REQUESTS MAX_TOKENS
"""
import asyncio
import json
import statistics
import sys
import time

import httpx

# The simulator's served model name (chatbotctl.yaml's `model`); the simulator answers 400 to any other.
MODEL = "llama-3.1-8b-instruct"


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


async def one(client, url, semaphore, max_tokens, results):
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "주문한 상품이 아직 도착하지 않았어요. 배송 상태를 알려주세요."}],
        "max_tokens": max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
        "ignore_eos": True,
    }
    async with semaphore:
        start = time.perf_counter()
        ttft = None
        tokens = 0
        try:
            async with client.stream("POST", url + "/chat/completions", json=body) as response:
                response.raise_for_status()
                async for line in response.aiter_lines():
                    line = line.rstrip("\r\n")  # httpx 0.23 keeps the line ending
                    if not line.startswith("data: "):
                        continue
                    data = line[6:]
                    if data == "[DONE]":
                        break
                    chunk = json.loads(data)
                    choices = chunk.get("choices") or []
                    if choices and choices[0].get("delta", {}).get("content"):
                        if ttft is None:
                            ttft = time.perf_counter() - start
                        tokens += 1
                    if chunk.get("usage"):
                        tokens = chunk["usage"]["completion_tokens"]
            results.append((ttft, time.perf_counter() - start, tokens, None))
        except Exception as e:  # the original counted failures and went on
            results.append((None, time.perf_counter() - start, 0, repr(e)))


async def main():
    url, concurrency, requests, max_tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    semaphore = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    results = []
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(one(client, url, semaphore, max_tokens, results) for _ in range(requests)))
        elapsed = time.perf_counter() - start
    ok = [r for r in results if r[3] is None]
    ttfts = [r[0] * 1000 for r in ok if r[0] is not None]
    totals = [r[1] * 1000 for r in ok]
    tokens = sum(r[2] for r in ok)
    print(json.dumps({
        "requests": len(results), "failed": len(results) - len(ok), "seconds": elapsed,
        "requests_per_second": len(ok) / elapsed, "tokens_per_second": tokens / elapsed,
        "ttft_p50_ms": percentile(ttfts, 50), "ttft_p90_ms": percentile(ttfts, 90), "ttft_p99_ms": percentile(ttfts, 99),
        "total_p50_ms": percentile(totals, 50), "total_p99_ms": percentile(totals, 99),
        "ttft_mean_ms": statistics.mean(ttfts) if ttfts else float("nan"),
        "first_error": next((r[3] for r in results if r[3]), None),
    }))


asyncio.run(main())
