"""Contains all the data models used in inputs/outputs"""

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
