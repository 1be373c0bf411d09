"""The help-desk preferences, their defaults and their validation."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=60)

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        if not _KEY.match(v):
            raise ValueError("tier keys are lowercase letters, digits and _ (e.g. premium)")
        return v


class HelpdeskConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    helpdesk_name: str = Field(default="Tend Support", min_length=1, max_length=80)
    customer_label: str = Field(default="customer", min_length=1, max_length=30)
    customer_label_plural: str = Field(default="customers", min_length=1, max_length=30)
    tiers: tuple[Tier, ...] = (
        Tier(key="standard", label="Standard"),
        Tier(key="premium", label="Premium"),
    )
    brand_color: str = "#1f6f5c"
    portal_allow_signup: bool = True

    @field_validator("brand_color")
    @classmethod
    def _color(cls, v: str) -> str:
        if not _HEX.match(v):
            raise ValueError("colours are written #rrggbb")
        return v.lower()

    @field_validator("tiers")
    @classmethod
    def _tiers(cls, v: tuple[Tier, ...]) -> tuple[Tier, ...]:
        if not v:
            raise ValueError("at least one tier is needed")
        keys = [t.key for t in v]
        if len(set(keys)) != len(keys):
            raise ValueError("tier keys must be unique")
        return v

    @property
    def tier_keys(self) -> list[str]:
        return [t.key for t in self.tiers]

    @property
    def default_tier(self) -> str:
        return self.tiers[0].key
