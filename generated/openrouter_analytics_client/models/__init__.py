"""Contains all the data models used in inputs/outputs

Each model's module is imported the first time its name is used, so that importing one model
(or an operation, which needs only the model of its success response up front) does not pay
for all of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .activity_item import ActivityItem
    from .activity_response import ActivityResponse
    from .bad_request_response import BadRequestResponse
    from .bad_request_response_error_data import BadRequestResponseErrorData
    from .bad_request_response_error_data_metadata_type_0 import (
        BadRequestResponseErrorDataMetadataType0,
    )
    from .bad_request_response_openrouter_metadata_type_0 import (
        BadRequestResponseOpenrouterMetadataType0,
    )
    from .forbidden_response import ForbiddenResponse
    from .forbidden_response_error_data import ForbiddenResponseErrorData
    from .forbidden_response_error_data_metadata_type_0 import (
        ForbiddenResponseErrorDataMetadataType0,
    )
    from .forbidden_response_openrouter_metadata_type_0 import (
        ForbiddenResponseOpenrouterMetadataType0,
    )
    from .internal_server_response import InternalServerResponse
    from .internal_server_response_error_data import InternalServerResponseErrorData
    from .internal_server_response_error_data_metadata_type_0 import (
        InternalServerResponseErrorDataMetadataType0,
    )
    from .internal_server_response_openrouter_metadata_type_0 import (
        InternalServerResponseOpenrouterMetadataType0,
    )
    from .not_found_response import NotFoundResponse
    from .not_found_response_error_data import NotFoundResponseErrorData
    from .not_found_response_error_data_metadata_type_0 import (
        NotFoundResponseErrorDataMetadataType0,
    )
    from .not_found_response_openrouter_metadata_type_0 import (
        NotFoundResponseOpenrouterMetadataType0,
    )
    from .unauthorized_response import UnauthorizedResponse
    from .unauthorized_response_error_data import UnauthorizedResponseErrorData
    from .unauthorized_response_error_data_metadata_type_0 import (
        UnauthorizedResponseErrorDataMetadataType0,
    )
    from .unauthorized_response_openrouter_metadata_type_0 import (
        UnauthorizedResponseOpenrouterMetadataType0,
    )

# model name -> the module under this package that defines it
_MODULES = {
    "ActivityItem": ".activity_item",
    "ActivityResponse": ".activity_response",
    "BadRequestResponse": ".bad_request_response",
    "BadRequestResponseErrorData": ".bad_request_response_error_data",
    "BadRequestResponseErrorDataMetadataType0": ".bad_request_response_error_data_metadata_type_0",
    "BadRequestResponseOpenrouterMetadataType0": ".bad_request_response_openrouter_metadata_type_0",
    "ForbiddenResponse": ".forbidden_response",
    "ForbiddenResponseErrorData": ".forbidden_response_error_data",
    "ForbiddenResponseErrorDataMetadataType0": ".forbidden_response_error_data_metadata_type_0",
    "ForbiddenResponseOpenrouterMetadataType0": ".forbidden_response_openrouter_metadata_type_0",
    "InternalServerResponse": ".internal_server_response",
    "InternalServerResponseErrorData": ".internal_server_response_error_data",
    "InternalServerResponseErrorDataMetadataType0": ".internal_server_response_error_data_metadata_type_0",
    "InternalServerResponseOpenrouterMetadataType0": ".internal_server_response_openrouter_metadata_type_0",
    "NotFoundResponse": ".not_found_response",
    "NotFoundResponseErrorData": ".not_found_response_error_data",
    "NotFoundResponseErrorDataMetadataType0": ".not_found_response_error_data_metadata_type_0",
    "NotFoundResponseOpenrouterMetadataType0": ".not_found_response_openrouter_metadata_type_0",
    "UnauthorizedResponse": ".unauthorized_response",
    "UnauthorizedResponseErrorData": ".unauthorized_response_error_data",
    "UnauthorizedResponseErrorDataMetadataType0": ".unauthorized_response_error_data_metadata_type_0",
    "UnauthorizedResponseOpenrouterMetadataType0": ".unauthorized_response_openrouter_metadata_type_0",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = (
    "ActivityItem",
    "ActivityResponse",
    "BadRequestResponse",
    "BadRequestResponseErrorData",
    "BadRequestResponseErrorDataMetadataType0",
    "BadRequestResponseOpenrouterMetadataType0",
    "ForbiddenResponse",
    "ForbiddenResponseErrorData",
    "ForbiddenResponseErrorDataMetadataType0",
    "ForbiddenResponseOpenrouterMetadataType0",
    "InternalServerResponse",
    "InternalServerResponseErrorData",
    "InternalServerResponseErrorDataMetadataType0",
    "InternalServerResponseOpenrouterMetadataType0",
    "NotFoundResponse",
    "NotFoundResponseErrorData",
    "NotFoundResponseErrorDataMetadataType0",
    "NotFoundResponseOpenrouterMetadataType0",
    "UnauthorizedResponse",
    "UnauthorizedResponseErrorData",
    "UnauthorizedResponseErrorDataMetadataType0",
    "UnauthorizedResponseOpenrouterMetadataType0",
)
