"""Bodies for the benchmark, as varied as a real account's, the same bytes for every contender.

Activity (`GET /activity`): a row per (day, endpoint) over 30 days, from a catalogue of 3,000
model slugs (vendor/family-version-variant, with a dated permaslug) served by 40 providers;
every row has an endpoint UUID of its own, costs as floats with all their digits (0 for most
BYOK costs), token counts from tiny to very large, and `cached_tokens`: every field the live API
sends without `group_by`.

Besides these rows as the API sends them (shape "live"), the 1-row bodies of the per-call
measures come in two more shapes:
    declared     every field the spec declares, `workspace_id` included (as with group_by=workspace)
    undeclared   those and one more field the spec does not declare (the next upstream change)

Each activity body comes in three layouts, as servers and proxies write JSON:
    compact    separators (",", ":"), as the API sends it
    spaced     json.dumps's default (", ", ": ")
    indented   2-space indentation, every row's keys in a different order, non-ASCII unescaped

Analytics query (`POST /analytics/query`): {"data": {"data": [...], "metadata": {...}}} with
free-form rows of 5 keys each: two dimensions (a day bucket, a model) and three metrics.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

LAYOUTS = ("compact", "spaced", "indented")
SHAPES = ("live", "declared", "undeclared")
UNDECLARED_FIELD = "cache_write_tokens"

VENDORS = [
    "openai", "anthropic", "google", "meta-llama", "mistralai", "qwen", "deepseek", "x-ai", "cohere",
    "nvidia", "microsoft", "amazon", "ai21", "perplexity", "nousresearch", "thedrummer", "sao10k",
    "liquid", "inception", "baidu", "tencent", "minimax", "moonshotai", "z-ai", "bytedance",
    "arcee-ai", "allenai", "ibm-granite", "alibaba", "inflection",
]  # fmt: skip
FAMILIES = ["gpt", "claude", "gemini", "llama", "qwen", "mixtral", "phi", "command", "nova", "hermes", "grok"]
VARIANTS = ["mini", "pro", "flash", "instruct", "chat", "large", "small", "turbo", "thinking", "vision"]
PROVIDERS = [
    "OpenAI", "Azure", "Anthropic", "Amazon Bedrock", "Google", "Google AI Studio", "DeepInfra",
    "Together", "Groq", "Fireworks", "Mistral", "Chutes", "xAI", "Novita", "Z.AI", "Parasail",
    "Lambda", "Nebius AI Studio", "SambaNova", "Cerebras", "Baseten", "Hyperbolic", "Friendli",
    "Crusoe", "Cloudflare", "Featherless", "Infermatic", "Mancer", "NextBit", "Targon", "Kluster",
    "AtlasCloud", "Phala", "GMICloud", "Inference.net", "DeepSeek", "Moonshot AI", "Alibaba",
    "Venice", "Morph",
]  # fmt: skip


def models(rng: random.Random, count: int = 3_000) -> list[tuple[str, str]]:
    """`count` distinct (slug, permaslug) pairs."""
    seen: dict[str, str] = {}
    while len(seen) < count:
        size = "" if rng.random() < 0.5 else f"-{rng.choice([7, 8, 14, 24, 32, 70, 72, 235, 405])}b"
        slug = (
            f"{rng.choice(VENDORS)}/{rng.choice(FAMILIES)}-{rng.randint(1, 9)}.{rng.randint(0, 9)}"
            f"-{rng.choice(VARIANTS)}{size}"
        )
        seen.setdefault(
            slug, f"{slug}-20{rng.randint(23, 26)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        )
    return list(seen.items())


def rows(count: int, seed: int = 20250824, shape: str = "live") -> list[dict[str, object]]:
    """`count` activity rows in `shape` (see SHAPES), the same for the same seed."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}")
    rng = random.Random(seed)
    catalogue = models(rng)
    first_day = dt.date(2026, 7, 26)
    result: list[dict[str, object]] = []
    for i in range(count):
        model, permaslug = catalogue[int(rng.paretovariate(1.2)) % len(catalogue)]
        prompt = int(rng.lognormvariate(9, 2.5))
        completion = int(prompt * rng.uniform(0.02, 0.6))
        usage = round(prompt * rng.uniform(1e-7, 3e-6) + completion * rng.uniform(4e-7, 1.5e-5), 12)
        result.append(
            {
                "date": (first_day + dt.timedelta(days=i % 30)).isoformat(),
                "model": model,
                "model_permaslug": permaslug,
                "endpoint_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "provider_name": rng.choice(PROVIDERS),
                "usage": usage,
                "byok_usage_inference": 0 if rng.random() < 0.8 else rng.uniform(0.0001, 3.0),
                "requests": 1 + int(rng.lognormvariate(2, 2)),
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "reasoning_tokens": 0 if rng.random() < 0.7 else int(completion * rng.uniform(0.1, 0.9)),
                "cached_tokens": 0 if rng.random() < 0.5 else int(prompt * rng.uniform(0.05, 0.9)),
            }
        )
        if shape != "live":
            result[-1]["workspace_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if shape == "undeclared":
            result[-1][UNDECLARED_FIELD] = int(prompt * rng.uniform(0.0, 0.3))
    return result


def body(count: int, layout: str = "compact", shape: str = "live") -> bytes:
    """The JSON body of a 200 `GET /activity` response with `count` rows of `shape` in `layout`."""
    data = rows(count, shape=shape)
    if layout == "compact":
        return json.dumps({"data": data}, separators=(",", ":")).encode()
    if layout == "spaced":
        return json.dumps({"data": data}).encode()
    if layout == "indented":
        rng = random.Random(count)
        shuffled = []
        for row in data:
            items = list(row.items())
            rng.shuffle(items)
            shuffled.append(dict(items))
        return json.dumps({"data": shuffled}, indent=2, ensure_ascii=False).encode()
    raise ValueError(f"unknown layout {layout!r}")


def query_body(count: int, seed: int = 20260822) -> bytes:
    """The JSON body of a 200 `POST /analytics/query` response with `count` free-form rows."""
    rng = random.Random(seed)
    catalogue = models(rng, 500)
    start = dt.datetime(2026, 7, 26, tzinfo=dt.UTC)
    data = [
        {
            "date__day": (start + dt.timedelta(days=i % 30)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "model": catalogue[rng.randrange(len(catalogue))][0],
            "request_count": 1 + int(rng.lognormvariate(3, 2)),
            "total_cost": round(rng.lognormvariate(-3, 2), 10),
            "total_tokens": int(rng.lognormvariate(10, 2.5)),
        }
        for i in range(count)
    ]
    metadata = {"query_time_ms": 187.4, "row_count": count, "truncated": False}
    return json.dumps({"data": {"data": data, "metadata": metadata}}, separators=(",", ":")).encode()
