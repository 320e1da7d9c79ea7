#!/usr/bin/env python3
"""Writes a promptfoo config with the same cases, model and sampling as `chatbotctl eval run`, for bench/eval.sh.

Usage: eval_to_promptfoo.py BASE_URL MODEL OUT.yaml DATASET.jsonl...
Assertions promptfoo has are mapped one to one; `language` and character lengths become `javascript`
assertions; lengths in tokens are left out (promptfoo's javascript assertions do not see the server's usage).
"""
import json
import sys

BASE_URL, MODEL, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
DIRECT = {"equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any", "icontains-all",
          "starts-with", "regex"}


def convert(a):
    t = a["type"]
    neg = t.startswith("not-")
    base = t[4:] if neg else t
    prefix = "not-" if neg else ""
    out = {}
    if base in DIRECT:
        out = {"type": t, "value": a["value"]}
    elif base in ("is-json", "contains-json"):
        out = {"type": t}
        if "schema" in a:
            out["value"] = a["schema"]
    elif base in ("refusal", "is-refusal"):
        out = {"type": prefix + "is-refusal"}
    elif base == "latency":
        out = {"type": "latency", "threshold": a.get("value", a.get("threshold"))}
    elif base == "language":
        share = a.get("threshold", 0.5 if a["value"] == "ko" else 0.8)
        script = r"/[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]/g" if a["value"] == "ko" else r"/[A-Za-z]/g"
        js = (f"(output.match({script}) || []).length / Math.max(1, (output.match(/\\p{{L}}/gu) || []).length) >= {share}")
        out = {"type": "javascript", "value": ("!" if neg else "") + "(" + js + ")"}
    elif base in ("min-length", "max-length"):
        if a.get("unit") == "tokens":
            return None
        op = ">=" if base == "min-length" else "<="
        out = {"type": "javascript", "value": ("!" if neg else "") + f"([...output].length {op} {a['value']})"}
    else:
        return None
    if "weight" in a:
        out["weight"] = a["weight"]
    return out


tests = []
for path in sys.argv[4:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            case = json.loads(line)
            messages = case.get("messages") or [{"role": "user", "content": case["input"]}]
            asserts = [c for c in (convert(a) for a in case["assert"]) if c is not None]
            test = {"description": case["id"], "vars": {"messages": messages}, "assert": asserts}
            if "threshold" in case:
                test["threshold"] = case["threshold"]
            tests.append(test)

config = {
    "description": "chatbotctl eval datasets, converted for promptfoo",
    "prompts": ["{{ messages | dump }}"],
    "providers": [{"id": "openai:chat:" + MODEL,
                   "config": {"apiBaseUrl": BASE_URL, "apiKey": "not-needed", "temperature": 0, "seed": 42,
                              "max_tokens": 512}}],
    "tests": tests,
}
with open(OUT, "w", encoding="utf-8") as f:
    json.dump(config, f, ensure_ascii=False, indent=1)  # JSON is YAML
print(f"{len(tests)} tests written to {OUT}", file=sys.stderr)
