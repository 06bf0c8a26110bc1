from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import InvalidResponseBody, json_type
from ..types import UNSET, Unset, json_loads, paused_gc

T = TypeVar("T", bound="ActivityItem")

# The JSON names of the declared fields; any other key goes to additional_properties.
_FIELDS: frozenset[str] = frozenset(
    {
        "byok_usage_inference",
        "cached_tokens",
        "completion_tokens",
        "date",
        "endpoint_id",
        "model",
        "model_permaslug",
        "prompt_tokens",
        "provider_name",
        "reasoning_tokens",
        "requests",
        "usage",
        "workspace_id",
    }
)


@_attrs_define
class ActivityItem:
    """
    Example:
        {'byok_usage_inference': 0.012, 'cached_tokens': 10, 'completion_tokens': 125, 'date': '2025-08-24',
            'endpoint_id': '550e8400-e29b-41d4-a716-446655440000', 'model': 'openai/gpt-4.1', 'model_permaslug':
            'openai/gpt-4.1-2025-04-14', 'prompt_tokens': 50, 'provider_name': 'OpenAI', 'reasoning_tokens': 25, 'requests':
            5, 'usage': 0.015}

    """

    byok_usage_inference: float
    """ BYOK inference cost in USD (external credits spent) """
    cached_tokens: int
    """ Total prompt tokens read from the provider prompt cache (cache hits). Generally a subset of `prompt_tokens`;
    for replayed response-cache hits the provider may report the two counters over disjoint token sets, so
    `cached_tokens` can exceed `prompt_tokens`. """
    completion_tokens: int
    """ Total completion tokens generated """
    date: str
    """ Date of the activity (YYYY-MM-DD format) """
    endpoint_id: str
    """ Unique identifier for the endpoint """
    model: str
    """ Model slug (e.g., "openai/gpt-4.1") """
    model_permaslug: str
    """ Model permaslug (e.g., "openai/gpt-4.1-2025-04-14") """
    prompt_tokens: int
    """ Total prompt tokens used """
    provider_name: str
    """ Name of the provider serving this endpoint """
    reasoning_tokens: int
    """ Total reasoning tokens used """
    requests: int
    """ Number of requests made """
    usage: float
    """ Total cost in USD (OpenRouter credits spent) """
    workspace_id: str | Unset = UNSET
    """ ID of the workspace this activity is attributed to. Only present when `group_by=workspace` is passed; the
    response is then split per workspace. Activity recorded before workspace resolution existed is attributed to the
    account default workspace. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        byok_usage_inference = self.byok_usage_inference

        cached_tokens = self.cached_tokens

        completion_tokens = self.completion_tokens

        date = self.date

        endpoint_id = self.endpoint_id

        model = self.model

        model_permaslug = self.model_permaslug

        prompt_tokens = self.prompt_tokens

        provider_name = self.provider_name

        reasoning_tokens = self.reasoning_tokens

        requests = self.requests

        usage = self.usage

        workspace_id = self.workspace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "byok_usage_inference": byok_usage_inference,
                "cached_tokens": cached_tokens,
                "completion_tokens": completion_tokens,
                "date": date,
                "endpoint_id": endpoint_id,
                "model": model,
                "model_permaslug": model_permaslug,
                "prompt_tokens": prompt_tokens,
                "provider_name": provider_name,
                "reasoning_tokens": reasoning_tokens,
                "requests": requests,
                "usage": usage,
            }
        )
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if not isinstance(src_dict, Mapping):
            raise InvalidResponseBody(
                "", f"expected an object, got {json_type(src_dict)}"
            )
        try:
            _byok_usage_inference = src_dict["byok_usage_inference"]
        except KeyError:
            raise InvalidResponseBody(
                "byok_usage_inference", "required field is missing"
            ) from None
        byok_usage_inference = _byok_usage_inference
        if (
            type(byok_usage_inference) is not float
            and type(byok_usage_inference) is not int
        ):
            raise InvalidResponseBody(
                "byok_usage_inference",
                f"expected a number, got {json_type(byok_usage_inference)}",
            )

        try:
            _cached_tokens = src_dict["cached_tokens"]
        except KeyError:
            raise InvalidResponseBody(
                "cached_tokens", "required field is missing"
            ) from None
        cached_tokens = _cached_tokens
        if type(cached_tokens) is not int:
            raise InvalidResponseBody(
                "cached_tokens", f"expected an integer, got {json_type(cached_tokens)}"
            )

        try:
            _completion_tokens = src_dict["completion_tokens"]
        except KeyError:
            raise InvalidResponseBody(
                "completion_tokens", "required field is missing"
            ) from None
        completion_tokens = _completion_tokens
        if type(completion_tokens) is not int:
            raise InvalidResponseBody(
                "completion_tokens",
                f"expected an integer, got {json_type(completion_tokens)}",
            )

        try:
            _date = src_dict["date"]
        except KeyError:
            raise InvalidResponseBody("date", "required field is missing") from None
        date = _date
        if type(date) is not str:
            raise InvalidResponseBody(
                "date", f"expected a string, got {json_type(date)}"
            )

        try:
            _endpoint_id = src_dict["endpoint_id"]
        except KeyError:
            raise InvalidResponseBody(
                "endpoint_id", "required field is missing"
            ) from None
        endpoint_id = _endpoint_id
        if type(endpoint_id) is not str:
            raise InvalidResponseBody(
                "endpoint_id", f"expected a string, got {json_type(endpoint_id)}"
            )

        try:
            _model = src_dict["model"]
        except KeyError:
            raise InvalidResponseBody("model", "required field is missing") from None
        model = _model
        if type(model) is not str:
            raise InvalidResponseBody(
                "model", f"expected a string, got {json_type(model)}"
            )

        try:
            _model_permaslug = src_dict["model_permaslug"]
        except KeyError:
            raise InvalidResponseBody(
                "model_permaslug", "required field is missing"
            ) from None
        model_permaslug = _model_permaslug
        if type(model_permaslug) is not str:
            raise InvalidResponseBody(
                "model_permaslug",
                f"expected a string, got {json_type(model_permaslug)}",
            )

        try:
            _prompt_tokens = src_dict["prompt_tokens"]
        except KeyError:
            raise InvalidResponseBody(
                "prompt_tokens", "required field is missing"
            ) from None
        prompt_tokens = _prompt_tokens
        if type(prompt_tokens) is not int:
            raise InvalidResponseBody(
                "prompt_tokens", f"expected an integer, got {json_type(prompt_tokens)}"
            )

        try:
            _provider_name = src_dict["provider_name"]
        except KeyError:
            raise InvalidResponseBody(
                "provider_name", "required field is missing"
            ) from None
        provider_name = _provider_name
        if type(provider_name) is not str:
            raise InvalidResponseBody(
                "provider_name", f"expected a string, got {json_type(provider_name)}"
            )

        try:
            _reasoning_tokens = src_dict["reasoning_tokens"]
        except KeyError:
            raise InvalidResponseBody(
                "reasoning_tokens", "required field is missing"
            ) from None
        reasoning_tokens = _reasoning_tokens
        if type(reasoning_tokens) is not int:
            raise InvalidResponseBody(
                "reasoning_tokens",
                f"expected an integer, got {json_type(reasoning_tokens)}",
            )

        try:
            _requests = src_dict["requests"]
        except KeyError:
            raise InvalidResponseBody("requests", "required field is missing") from None
        requests = _requests
        if type(requests) is not int:
            raise InvalidResponseBody(
                "requests", f"expected an integer, got {json_type(requests)}"
            )

        try:
            _usage = src_dict["usage"]
        except KeyError:
            raise InvalidResponseBody("usage", "required field is missing") from None
        usage = _usage
        if type(usage) is not float and type(usage) is not int:
            raise InvalidResponseBody(
                "usage", f"expected a number, got {json_type(usage)}"
            )

        workspace_id = src_dict.get("workspace_id", UNSET)
        if workspace_id is not UNSET and type(workspace_id) is not str:
            raise InvalidResponseBody(
                "workspace_id", f"expected a string, got {json_type(workspace_id)}"
            )

        activity_item = cls(
            byok_usage_inference=byok_usage_inference,
            cached_tokens=cached_tokens,
            completion_tokens=completion_tokens,
            date=date,
            endpoint_id=endpoint_id,
            model=model,
            model_permaslug=model_permaslug,
            prompt_tokens=prompt_tokens,
            provider_name=provider_name,
            reasoning_tokens=reasoning_tokens,
            requests=requests,
            usage=usage,
            workspace_id=workspace_id,
        )

        activity_item.additional_properties = {
            key: value for key, value in src_dict.items() if key not in _FIELDS
        }
        return activity_item

    @classmethod
    def _from_dict_list(cls, src_list: list[Any]) -> list[Self]:
        """from_dict for each element of a decoded JSON array; an error names the element's index."""
        result: list[Self] = []
        try:
            with paused_gc():
                for src_dict in src_list:
                    result.append(cls.from_dict(src_dict))
        except InvalidResponseBody as error:
            raise error.within(len(result)) from None
        return result

    @classmethod
    def _from_json(cls, content: bytes) -> Self:
        """from_dict of the decoded JSON content."""
        return cls.from_dict(json_loads(content))

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    # [key] reads an undeclared field; without this, iterating the model would call it with 0, 1,
    # ... and fail with KeyError: 0, where Python says the object is not iterable.
    __iter__ = None

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
