"""The help-desk preferences, their defaults and their validation."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _contrast_with_white(hex_color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_color))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def ink_for(hex_color: str) -> str:
    """Text on `hex_color`: white when it reads (WCAG AA, 4.5:1), else near-black."""
    return "#ffffff" if _contrast_with_white(hex_color) >= 4.5 else "#111111"


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
    def brand_dark(self) -> str:
        """The brand colour darkened by a fifth (hover states, borders)."""
        r, g, b = _rgb(self.brand_color)
        return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.8) for c in (r, g, b)))

    @property
    def brand_ink(self) -> str:
        return ink_for(self.brand_color)

    @property
    def tier_keys(self) -> list[str]:
        return [t.key for t in self.tiers]

    @property
    def default_tier(self) -> str:
        return self.tiers[0].key
