"""Realistic `GET /activity` bodies for the benchmark, the same bytes for every contender.

A row looks like what the API sends for one (day, endpoint): a date in the last 30 days,
a model slug with its permaslug, a provider, the endpoint's UUID, costs as floats with all
their digits (or 0 when nothing was spent) and token counts from tiny to very large.
Rows carry `cached_tokens` as the live API does (the official SDK requires it; our spec
does not list it yet, so our models keep it in `additional_properties`).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

MODELS = [
    ("openai/gpt-4.1", "openai/gpt-4.1-2025-04-14", "OpenAI"),
    ("openai/gpt-4.1-mini", "openai/gpt-4.1-mini-2025-04-14", "OpenAI"),
    ("openai/gpt-4o-mini", "openai/gpt-4o-mini-2024-07-18", "Azure"),
    ("openai/o4-mini", "openai/o4-mini-2025-04-16", "OpenAI"),
    ("anthropic/claude-sonnet-4", "anthropic/claude-4-sonnet-20250522", "Anthropic"),
    ("anthropic/claude-sonnet-4", "anthropic/claude-4-sonnet-20250522", "Amazon Bedrock"),
    ("anthropic/claude-sonnet-4", "anthropic/claude-4-sonnet-20250522", "Google"),
    ("anthropic/claude-3.5-haiku", "anthropic/claude-3-5-haiku-20241022", "Anthropic"),
    ("google/gemini-2.5-pro", "google/gemini-2.5-pro", "Google AI Studio"),
    ("google/gemini-2.5-flash", "google/gemini-2.5-flash", "Google"),
    ("meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct", "DeepInfra"),
    ("meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct", "Together"),
    ("meta-llama/llama-4-maverick", "meta-llama/llama-4-maverick-17b-128e-instruct", "Groq"),
    ("deepseek/deepseek-chat-v3-0324", "deepseek/deepseek-chat-v3-0324", "DeepSeek"),
    ("deepseek/deepseek-r1", "deepseek/deepseek-r1", "Fireworks"),
    ("mistralai/mistral-small-3.2-24b-instruct", "mistralai/mistral-small-3.2-24b-instruct-2506", "Mistral"),
    ("qwen/qwen3-235b-a22b", "qwen/qwen3-235b-a22b-04-28", "Chutes"),
    ("x-ai/grok-3-mini", "x-ai/grok-3-mini-beta", "xAI"),
    ("moonshotai/kimi-k2", "moonshotai/kimi-k2", "Novita"),
    ("z-ai/glm-4.5", "z-ai/glm-4.5", "Z.AI"),
]


def rows(count: int, seed: int = 20250824) -> list[dict[str, object]]:
    """`count` activity rows, the same for the same seed."""
    rng = random.Random(seed)
    first_day = dt.date(2025, 7, 26)
    endpoints = [
        (*model, str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        for model in MODELS
        for _ in range(50)  # one model, many endpoints (keys, regions, quantizations)
    ]
    result: list[dict[str, object]] = []
    for i in range(count):
        model, permaslug, provider, endpoint_id = endpoints[rng.randrange(len(endpoints))]
        prompt = int(rng.lognormvariate(9, 2.5))
        completion = int(prompt * rng.uniform(0.02, 0.6))
        usage = round(prompt * rng.uniform(1e-7, 3e-6) + completion * rng.uniform(4e-7, 1.5e-5), 12)
        byok = 0 if rng.random() < 0.8 else rng.uniform(0.0001, 3.0)
        result.append(
            {
                "date": (first_day + dt.timedelta(days=i % 30)).isoformat(),
                "model": model,
                "model_permaslug": permaslug,
                "endpoint_id": endpoint_id,
                "provider_name": provider,
                "usage": usage,
                "byok_usage_inference": byok,
                "requests": 1 + int(rng.lognormvariate(2, 2)),
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "reasoning_tokens": 0 if rng.random() < 0.7 else int(completion * rng.uniform(0.1, 0.9)),
                "cached_tokens": 0 if rng.random() < 0.5 else int(prompt * rng.uniform(0.05, 0.9)),
            }
        )
    return result


def body(count: int) -> bytes:
    """The JSON body of a 200 response with `count` rows, compact as the API sends it."""
    return json.dumps({"data": rows(count)}, separators=(",", ":")).encode()
