"""Reads one streamed chat completion with httpx (an independent client) and prints what it saw as JSON.

Usage: /usr/bin/python3 read_stream.py BASE_URL MODEL MESSAGE MAX_TOKENS
"""
import json
import sys

import httpx

base, model, message, max_tokens = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = {"model": model, "messages": [{"role": "user", "content": message}], "max_tokens": max_tokens,
        "stream": True, "stream_options": {"include_usage": True}}
seen = {"status": None, "content_type": None, "role_first": False, "content": "", "content_chunks": 0,
        "finish_reason": None, "finish_on_last_content": False, "usage": None, "done_last": False, "events": 0}
events = []
with httpx.Client(timeout=30) as client:
    with client.stream("POST", base + "/chat/completions", json=body) as r:
        seen["status"] = r.status_code
        seen["content_type"] = r.headers.get("content-type")
        for line in r.iter_lines():
            line = line.rstrip("\r\n")  # Debian's httpx 0.23 keeps the line ending
            if line.startswith("data: "):
                events.append(line[len("data: "):])
seen["events"] = len(events)
seen["done_last"] = bool(events) and events[-1] == "[DONE]"
chunks = [json.loads(e) for e in events if e != "[DONE]"]
seen["role_first"] = bool(chunks) and chunks[0]["choices"][0]["delta"].get("role") == "assistant"
last_content = None
for c in chunks:
    if c["choices"]:
        delta = c["choices"][0]["delta"]
        if delta.get("content"):
            seen["content"] += delta["content"]
            seen["content_chunks"] += 1
            last_content = c
        if c["choices"][0].get("finish_reason"):
            seen["finish_reason"] = c["choices"][0]["finish_reason"]
    elif c.get("usage"):
        seen["usage"] = c["usage"]
seen["finish_on_last_content"] = last_content is not None and last_content["choices"][0]["finish_reason"] is not None
print(json.dumps(seen, ensure_ascii=False))
