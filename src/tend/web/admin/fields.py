"""Admin pages for custom fields: list, create, edit. The key is fixed once created."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.tickets import fields
from tend.tickets.models import CustomField
from tend.tickets.rules import FIELD_TYPES, RuleError
from tend.web.admin.common import SettingsAdmin, checked, page
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()

TYPE_HELP = {
    "text": "Free text (up to 1000 characters).",
    "number": "A number, e.g. an order amount.",
    "checkbox": "Yes or no.",
    "date": "A date (YYYY-MM-DD).",
    "dropdown": "One of a fixed list of options.",
}


def _values(form: dict[str, Any]) -> dict[str, Any]:
    """The form's values as `create_custom_field` / `update_custom_field` take them."""
    options = field(form, "options", max_length=20_000)
    return {
        "label": field(form, "label", max_length=fields.LABEL_MAX, required=True, label="Label"),
        "type": field(form, "type", max_length=20),
        "options": [line.strip() for line in options.splitlines() if line.strip()],
        "required_to_solve": checked(form, "required_to_solve"),
        "customer_visible": checked(form, "customer_visible"),
        "active": checked(form, "active"),
        "position": field(form, "position", max_length=9) or "0",
    }


def _raw(form: dict[str, Any]) -> dict[str, Any]:
    return {"key": str(form.get("key", "")), "label": str(form.get("label", "")),
            "type": str(form.get("type", "text")), "options": str(form.get("options", "")),
            "required_to_solve": checked(form, "required_to_solve"),
            "customer_visible": checked(form, "customer_visible"),
            "active": checked(form, "active"), "position": str(form.get("position", "0"))}


def _shown(f: CustomField) -> dict[str, Any]:
    return {"key": f.key, "label": f.label, "type": f.type, "options": "\n".join(f.options),
            "required_to_solve": f.required_to_solve, "customer_visible": f.customer_visible,
            "active": f.active, "position": str(f.position)}


def _form(request: Request, values: dict[str, Any], *, custom_field: CustomField | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    return page(request, "admin/field_form.html",
                {"custom_field": custom_field, "values": values, "types": FIELD_TYPES,
                 "type_help": TYPE_HELP, "error": error}, status_code=status_code)


@router.get("/admin/fields")
def field_list(request: Request, rt: RuntimeDep, actor: SettingsAdmin) -> Response:
    with rt.db.read() as session:
        custom_fields = fields.all_custom_fields(session)
    return page(request, "admin/fields.html", {"custom_fields": custom_fields})


@router.get("/admin/fields/new")
def new_field_page(request: Request, actor: SettingsAdmin) -> Response:
    return _form(request, {"key": "", "label": "", "type": "text", "options": "",
                           "required_to_solve": False, "customer_visible": False,
                           "active": True, "position": "0"})


@router.post("/admin/fields/new")
def create_field(request: Request, rt: RuntimeDep, actor: SettingsAdmin,
                 form: FormData) -> Response:
    try:
        key = field(form, "key", max_length=60, required=True, label="Key")
        with rt.db.write() as session:
            fields.create_custom_field(session, actor, key=key, **_values(form))
    except (RuleError, Problem) as exc:
        return _form(request, _raw(form), error=str(exc), status_code=422)
    return redirect("/admin/fields?saved=field")


@router.get("/admin/fields/{field_id}")
def edit_field_page(request: Request, field_id: int, rt: RuntimeDep,
                    actor: SettingsAdmin) -> Response:
    with rt.db.read() as session:
        custom_field = fields.access_custom_field(session, actor, field_id)
    return _form(request, _shown(custom_field), custom_field=custom_field)


@router.post("/admin/fields/{field_id}")
def update_field(request: Request, field_id: int, rt: RuntimeDep, actor: SettingsAdmin,
                 form: FormData) -> Response:
    with rt.db.read() as session:
        custom_field = fields.access_custom_field(session, actor, field_id)
    try:
        with rt.db.write() as session:
            target = fields.access_custom_field(session, actor, field_id)
            fields.update_custom_field(session, actor, target, _values(form))
    except (RuleError, Problem) as exc:
        values = _raw(form) | {"key": custom_field.key}
        return _form(request, values, custom_field=custom_field, error=str(exc),
                     status_code=422)
    return redirect(f"/admin/fields/{field_id}?saved=field")
