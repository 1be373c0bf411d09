"""Admin page for the help-desk settings (name, customer label, tiers, colour, portal sign-up)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from tend.config.actions import update_config
from tend.config.queries import get_config
from tend.config.schema import HelpdeskConfig
from tend.web.admin.common import SettingsAdmin, checked, page
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()

LABEL_SUGGESTIONS = (("customer", "customers"), ("visitor", "visitors"), ("guest", "guests"),
                     ("client", "clients"), ("patient", "patients"))
FIELD_NAMES = {"helpdesk_name": "Help desk name", "customer_label": "Customer label",
               "customer_label_plural": "Customer label (plural)", "tiers": "Tiers",
               "brand_color": "Brand colour", "portal_allow_signup": "Portal sign-up"}


def tiers_text(config: HelpdeskConfig) -> str:
    return "\n".join(f"{t.key} | {t.label}" for t in config.tiers)


def parse_tiers(text: str) -> list[dict[str, str]]:
    """One tier per line, `key | Label`; a line without a label gets one made from the key."""
    tiers = []
    for line in text.splitlines():
        if not line.strip():
            continue
        key, _, label = line.partition("|")
        key = key.strip()
        tiers.append({"key": key, "label": label.strip() or key.replace("_", " ").capitalize()})
    return tiers


def explain(exc: ValidationError) -> str:
    """pydantic's errors in the words of the form."""
    messages = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        where = FIELD_NAMES.get(loc[0], loc[0]) if loc else "Settings"
        if loc[:1] == ["tiers"] and len(loc) >= 3 and loc[1].isdigit():
            where = f"Tier on line {int(loc[1]) + 1} ({loc[2]})"
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        messages.append(f"{where}: {msg[:1].lower() + msg[1:]}")
    return "; ".join(messages)


def _form(request: Request, values: dict[str, Any], *, error: str | None = None,
          status_code: int = 200) -> Response:
    return page(request, "admin/settings.html",
                {"values": values, "suggestions": LABEL_SUGGESTIONS, "error": error},
                status_code=status_code)


@router.get("/admin/settings")
def settings_page(request: Request, rt: RuntimeDep, actor: SettingsAdmin) -> Response:
    with rt.db.read() as session:
        config = get_config(session)
    return _form(request, config.model_dump(mode="json") | {"tiers": tiers_text(config)})


@router.post("/admin/settings")
def save_settings(request: Request, rt: RuntimeDep, actor: SettingsAdmin,
                  form: FormData) -> Response:
    raw = {"helpdesk_name": str(form.get("helpdesk_name", "")),
           "customer_label": str(form.get("customer_label", "")),
           "customer_label_plural": str(form.get("customer_label_plural", "")),
           "tiers": str(form.get("tiers", "")), "brand_color": str(form.get("brand_color", "")),
           "portal_allow_signup": checked(form, "portal_allow_signup")}
    try:
        changes = {"helpdesk_name": field(form, "helpdesk_name", max_length=200),
                   "customer_label": field(form, "customer_label", max_length=100).lower(),
                   "customer_label_plural":
                       field(form, "customer_label_plural", max_length=100).lower(),
                   "tiers": parse_tiers(field(form, "tiers", max_length=10_000)),
                   "brand_color": field(form, "brand_color", max_length=20),
                   "portal_allow_signup": raw["portal_allow_signup"]}
        with rt.db.write() as session:
            update_config(session, actor, changes)
    except ValidationError as exc:
        return _form(request, raw, error=explain(exc), status_code=422)
    except Problem as exc:
        return _form(request, raw, error=exc.detail, status_code=422)
    return redirect("/admin/settings?saved=settings")
