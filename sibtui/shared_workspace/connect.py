"""Reaching the owner's Flight server on its socket, and asking whether it is alive."""

from __future__ import annotations

from pathlib import Path

import pyarrow.flight as flight

CONNECT_TIMEOUT_SECONDS = 2.0


def flight_client(socket: Path) -> flight.FlightClient:
    return flight.FlightClient(flight.Location.for_grpc_unix(str(socket)))


def ping(client: flight.FlightClient) -> bool:
    try:
        list(client.do_action(flight.Action("ping", b"{}"), options=_options(CONNECT_TIMEOUT_SECONDS)))
        return True
    except (flight.FlightUnavailableError, flight.FlightTimedOutError, flight.FlightInternalError, OSError):
        return False


def _options(timeout: float | None = None) -> flight.FlightCallOptions:
    return flight.FlightCallOptions(timeout=timeout)


def answers(socket: Path) -> bool:
    """Whether a live server listens on `socket` (the client used to ask is closed again)."""
    if not socket.exists():
        return False
    client = flight_client(socket)
    try:
        return ping(client)
    finally:
        client.close()
