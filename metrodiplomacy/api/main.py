"""The API object: mounted at /api/v1/, with its OpenAPI document and interactive docs served locally."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger


class LocalSwagger(Swagger):
    """Ninja's bundled Swagger UI (static files, no inline script), with the CSRF token for session writes."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings, indent=1), "api": api, "add_csrf": True}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Metrodiplomacy API",
    version="1",
    description=(
        "Records of the international action of cities. Published public records are readable without a "
        "session; members read and write within their organisation's rights, by session or bearer token. "
        "See docs/api.md."
    ),
    urls_namespace="api",
    # The bundled Swagger UI assets (ninja/static); no validator badge, which would call an outside host.
    docs=LocalSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


@api.exception_handler(ValidationError)
def refuse_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Model and service validation: 400 with the messages by field."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(PermissionDenied)
def refuse_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "You may not change this record."}, status=403)


@api.exception_handler(ProtectedError)
def refuse_protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Other records still refer to this one; change or remove them first."}, status=409
    )


def _mount() -> None:
    from metrodiplomacy.actors.api import router as actors
    from metrodiplomacy.api.writing import add_remaining_write_endpoints
    from metrodiplomacy.cooperation.api import router as cooperation
    from metrodiplomacy.coordination.api import router as coordination
    from metrodiplomacy.diplomacy.api import router as diplomacy
    from metrodiplomacy.diplomacy.twinning_api import router as twinning
    from metrodiplomacy.evidence.api import router as evidence
    from metrodiplomacy.places.api import router as places
    from metrodiplomacy.strategy.api import router as strategy

    add_remaining_write_endpoints()
    for router in (places, actors, evidence, diplomacy, cooperation, strategy, coordination, twinning):
        api.add_router("", router)


_mount()
