"""The baseline server of bench/api.py: a bare FastAPI app with one route that answers a
static JSON body, run by uvicorn as `techpm serve` runs the team server.

    .venv/bin/python bench/api_bare.py --body FILE --port PORT

Whatever the team server's answers cost beyond this one is techpm's own work; what this one
costs is HTTP, the framework and moving the bytes. The route is a plain `def`, as techpm's
routes are, so it too goes through the thread pool.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response

ROUTE = "/bare"


def bare_app(body: bytes) -> FastAPI:
    """One route answering `body` (already JSON), as a stored schedule is answered."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    def bare() -> Response:
        return Response(body, media_type="application/json")

    app.add_api_route(ROUTE, bare, methods=["GET"])
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--body", type=Path, required=True, help="the JSON body to answer")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    # the settings of techpm.cli.serve.run_server with one worker: uvicorn's defaults
    uvicorn.run(bare_app(args.body.read_bytes()), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
