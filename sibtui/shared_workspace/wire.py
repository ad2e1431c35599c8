"""What travels between processes besides Arrow data: query parameters and errors, as JSON.

Parameters are the values sibtui binds (text, numbers, dates, None, lists of them); a
DuckDB error comes back as the same DuckDB exception class with its message, so callers
catch `duckdb.CatalogException` or `duckdb.InterruptException` whichever side ran it.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import duckdb


def encode_parameters(parameters: Any) -> Any:
    if parameters is None:
        return None
    if isinstance(parameters, dict):
        return {"$map": {str(key): _encode(value) for key, value in parameters.items()}}
    return [_encode(value) for value in parameters]


def decode_parameters(encoded: Any) -> Any:
    if encoded is None:
        return None
    if isinstance(encoded, dict):
        return {key: _decode(value) for key, value in encoded["$map"].items()}
    return [_decode(value) for value in encoded]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a parameter of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def encode_request(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


def decode_request(raw: bytes) -> dict[str, Any]:
    return json.loads(raw.decode())


def error_info(error: BaseException) -> bytes:
    """The class name of a DuckDB error (else the generic one), for `raise_remote`."""
    name = type(error).__name__ if isinstance(error, duckdb.Error) else "Error"
    return json.dumps({"duckdb": name}).encode()


def remote_error(message: str, extra_info: bytes | None) -> BaseException:
    """The DuckDB exception the server raised, rebuilt from a Flight error."""
    try:
        name = json.loads(extra_info or b"{}").get("duckdb")
    except ValueError:
        name = None
    if name is None:
        return duckdb.Error(message)
    kind = getattr(duckdb, name, duckdb.Error)
    if not (isinstance(kind, type) and issubclass(kind, duckdb.Error)):
        kind = duckdb.Error
    return kind(_server_message(message))


def _server_message(message: str) -> str:
    """Flight prefixes the server's text with its own words; keep DuckDB's."""
    marker = "DUCKDB: "
    if marker in message:
        message = message.split(marker, 1)[1]
    for tail in (". Detail: Python exception: FlightServerError", ". gRPC client debug context", ". Detail: Failed"):
        message = message.split(tail, 1)[0]
    return message
