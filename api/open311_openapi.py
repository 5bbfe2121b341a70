"""The Open311 GeoReport v2 endpoints as an OpenAPI document: what integrators can
rely on, and what the schema fuzz test drives against the running code. The JSON
format is described; every path answers the same in XML with the ``.xml`` ending."""

from typing import Any

_ERRORS: dict[str, Any] = {
    "description": "Refused: a list of errors.",
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "description"],
                    "properties": {
                        "code": {"type": "integer"},
                        "description": {"type": "string"},
                    },
                },
            }
        }
    },
}
_NULLABLE_STRING = {"type": ["string", "null"]}
_REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "requested_datetime"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": {"type": "string"},
        "service_name": {"type": "string"},
        "service_code": _NULLABLE_STRING,
        "description": {"type": "string"},
        "agency_responsible": {"type": "string"},
        "service_notice": {"type": "string"},
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": _NULLABLE_STRING,
        "address": {"type": "string"},
        "lat": {"type": ["number", "null"]},
        "long": {"type": ["number", "null"]},
        "media_url": _NULLABLE_STRING,
    },
}


def _list(items: dict[str, Any], description: str) -> dict[str, Any]:
    schema = {"type": "array", "items": items}
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _query(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


_JURISDICTION = _query("jurisdiction_id", "A campaign's slug.")
_REFUSALS = {"400": _ERRORS, "404": _ERRORS, "429": _ERRORS}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Sanfu Open311 GeoReport v2", "version": "2"},
    "paths": {
        "/open311/v2/discovery.json": {
            "get": {
                "operationId": "discovery",
                "responses": {
                    "200": {
                        "description": "Where the endpoints are.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/open311/v2/services.json": {
            "get": {
                "operationId": "services",
                "parameters": [_JURISDICTION],
                "responses": {
                    "200": _list(
                        {
                            "type": "object",
                            "required": ["service_code", "service_name"],
                            "properties": {
                                "service_code": {"type": "string"},
                                "service_name": {"type": "string"},
                                "metadata": {"type": "boolean"},
                            },
                        },
                        "The services (a campaign's categories).",
                    ),
                    **_REFUSALS,
                },
            }
        },
        "/open311/v2/services/{service_code}.json": {
            "get": {
                "operationId": "service_definition",
                "parameters": [
                    {
                        "name": "service_code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The service's attributes.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_REFUSALS,
                },
            }
        },
        "/open311/v2/requests.json": {
            "get": {
                "operationId": "requests",
                "parameters": [
                    _JURISDICTION,
                    _query("service_request_id", "Tracking numbers, comma-separated."),
                    _query("service_code", "Service codes, comma-separated."),
                    _query("start_date", "ISO 8601."),
                    _query("end_date", "ISO 8601."),
                    _query("status", "open, closed, or both comma-separated."),
                ],
                "responses": {
                    "200": _list(_REQUEST, "Published requests."),
                    **_REFUSALS,
                },
            },
            "post": {
                "operationId": "create_request",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "api_key",
                                    "service_code",
                                    "description",
                                ],
                                "properties": {
                                    "api_key": {
                                        "type": "string",
                                        "description": (
                                            "An API token issued in the admin; "
                                            "each key has its own rate limit."
                                        ),
                                    },
                                    "service_code": {"type": "string"},
                                    "description": {"type": "string"},
                                    "first_name": {"type": "string"},
                                    "last_name": {"type": "string"},
                                    "phone": {"type": "string"},
                                    "email": {
                                        "type": "string",
                                        "description": (
                                            "Kept for the office; never shown "
                                            "through this endpoint."
                                        ),
                                    },
                                    "address_string": {"type": "string"},
                                    "lat": {"type": "string"},
                                    "long": {"type": "string"},
                                    "attribute[kind]": {"type": "string"},
                                    "attribute[urgency]": {"type": "string"},
                                    "allow_publish": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _list(
                        {
                            "type": "object",
                            "required": ["service_request_id", "query_code"],
                            "properties": {
                                "service_request_id": {"type": "string"},
                                "token": {"type": "string"},
                                "query_code": {"type": "string"},
                            },
                        },
                        "The new request's number, token and query code.",
                    ),
                    "403": _ERRORS,
                    "413": _ERRORS,
                    **_REFUSALS,
                },
            },
        },
        "/open311/v2/requests/{request_id}.json": {
            "get": {
                "operationId": "request",
                "parameters": [
                    {
                        "name": "request_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "X-Query-Code",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": (
                            "The query code: shows the request before it is "
                            "published, as the public tracking page does. Never "
                            "in the URL (a query_code parameter is a 400)."
                        ),
                    },
                ],
                "responses": {"200": _list(_REQUEST, "The request."), **_REFUSALS},
            }
        },
        "/open311/v2/tokens/{token}.json": {
            "get": {
                "operationId": "token",
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": _list(
                        {
                            "type": "object",
                            "required": ["service_request_id", "token"],
                            "properties": {
                                "service_request_id": {"type": "string"},
                                "token": {"type": "string"},
                            },
                        },
                        "The number of the request filed with the token.",
                    ),
                    **_REFUSALS,
                },
            }
        },
    },
}
