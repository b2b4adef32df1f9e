"""Briefing specs: read a TOML spec, check every key and value, resolve it against the atlas.

An unknown key, a value of the wrong type, an unknown corridor, mode, status or country, a
selection that matches nothing or an extent without land is a :class:`SpecError` naming the key.
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from corridormap._i18n import check_language
from corridormap.atlas.core import Atlas
from corridormap.errors import SelectionError, SpecError
from corridormap.io import UnreadableFile, display_path, read_text
from corridormap.query import select
from corridormap.render.styles import status_label

log = logging.getLogger(__name__)

#: What a spec may produce; ``alt.txt`` and ``spec.lock.json`` are always written.
OUTPUTS: dict[str, tuple[str, ...]] = {
    "html": ("map.html", "embed.html"),
    "png": ("map.png",),
    "svg": ("map.svg",),
    "pdf": ("map.pdf",),
    "tables": ("corridors.csv", "lengths.csv", "revenue.csv"),
    "index": ("index.html",),
}
#: Every key a spec may hold: top-level keys, and the keys of each table.
SPEC_KEYS: dict[str, tuple[str, ...] | None] = {
    "title": None,
    "subtitle": None,
    "byline": None,
    "lang": None,
    "outputs": None,
    "select": ("mode", "status", "country", "corridor"),
    "highlight": ("corridor",),
    "extent": ("bbox", "countries"),
    "figure": ("width_in", "height_in", "dpi", "inset", "years"),
    "routes": None,
}
LOCK_NAME = "spec.lock.json"


@dataclass(frozen=True)
class BriefSpec:
    """A checked spec: what to select, show and write. Build it with :func:`load_spec`."""

    title: str
    subtitle: str | None = None
    byline: str | None = None
    mode: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    corridor: list[str] = field(default_factory=list)
    highlight: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    countries: list[str] = field(default_factory=list)
    width_in: float = 7.5
    height_in: float | None = None
    dpi: int = 300
    inset: bool = True
    years: list[int] = field(default_factory=list)
    outputs: list[str] = field(default_factory=lambda: list(OUTPUTS))
    routes: list[dict] = field(default_factory=list)
    lang: str = "en"

    @property
    def filters(self) -> dict[str, list[str]]:
        """The selection as keyword arguments of :func:`corridormap.select`."""
        return {
            "mode": self.mode,
            "status": self.status,
            "country": self.country,
            "corridor": self.corridor,
        }


# --------------------------------------------------------------------------- reading a spec


def load_spec(spec: str | Path | Mapping | BriefSpec) -> BriefSpec:
    """Read and check a briefing spec.

    Parameters
    ----------
    spec
        A TOML file, or the parsed mapping. Keys are documented in ``maps/README.md``.

    Returns
    -------
    BriefSpec

    Raises
    ------
    SpecError
        On the first problem, in one line naming the file and the key.
    """
    where = "spec"
    if isinstance(spec, BriefSpec):
        return spec
    if isinstance(spec, str | Path):
        path = Path(spec)
        where = display_path(path)
        try:
            data = tomllib.loads(read_text(path))
        except UnreadableFile as exc:
            raise SpecError(f"{where}: {exc}") from None
        except OSError as exc:
            raise SpecError(f"{where}: cannot read the spec ({exc.strerror or exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"{where}: not valid TOML ({exc})") from None
    elif isinstance(spec, Mapping):
        data = dict(spec)
    else:
        raise SpecError(f"spec must be a TOML file or a mapping; got {type(spec).__name__}")
    try:
        return _parse(data)
    except SpecError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _unknown(key: str, known: tuple[str, ...] | list[str]) -> SpecError:
    leaf = key.rsplit(".", 1)[-1]
    close = difflib.get_close_matches(leaf, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
    if "." in key and leaf in SPEC_KEYS and SPEC_KEYS[leaf] is None:
        hint = f"; top-level keys such as {leaf!r} must come before the first [table]"
    return SpecError(f"unknown key {key!r}{hint}")


def _strings(key: str, value: object, *, upper: bool = False) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise SpecError(f"{key} must be a string or a list of strings; got {value!r}")
    return [v.strip().upper() if upper else v.strip() for v in items]


#: Longest title, subtitle or byline: more would not fit a figure or a page header.
MAX_TEXT = 1000


def _text(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{key} must be a non-empty string; got {value!r}")
    if len(value.strip()) > MAX_TEXT:
        raise SpecError(f"{key} is too long ({len(value.strip())} characters; at most {MAX_TEXT})")
    return value.strip()


def _number(key: str, value: object, low: float, high: float, *, integer: bool = False) -> float:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        kind = "a whole number" if integer else "a number"
        raise SpecError(f"{key} must be {kind} from {low:g} to {high:g}; got {value!r}")
    return value


def _table(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise SpecError(f"{name} must be a table ([{name}]); got {value!r}")
    known = SPEC_KEYS[name]
    assert known is not None  # a table's keys are listed
    for key in value:
        if key not in known:
            raise _unknown(f"{name}.{key}", known)
    return value


def _parse(data: dict) -> BriefSpec:
    for key in data:
        if key not in SPEC_KEYS:
            raise _unknown(key, list(SPEC_KEYS))
    if "title" not in data:
        raise SpecError('title is missing (e.g. title = "The CKU railway")')
    chosen, highlight = _table(data, "select"), _table(data, "highlight")
    extent, figure = _table(data, "extent"), _table(data, "figure")
    values: dict = {"title": _text("title", data["title"])}
    for key in ("subtitle", "byline"):
        if key in data:
            values[key] = _text(key, data[key])
    for key in ("mode", "status", "corridor"):
        if key in chosen:
            values[key] = _strings(f"select.{key}", chosen[key])
    if "country" in chosen:
        values["country"] = _strings("select.country", chosen["country"], upper=True)
    if "corridor" in highlight:
        values["highlight"] = _strings("highlight.corridor", highlight["corridor"])
    if len(extent) > 1:
        raise SpecError("extent takes bbox or countries, not both")
    if "bbox" in extent:
        box = extent["bbox"]
        if not (isinstance(box, list) and len(box) == 4):
            raise SpecError(
                f"extent.bbox must be [min_lon, min_lat, max_lon, max_lat]; got {box!r}"
            )
        values["bbox"] = tuple(float(_number("extent.bbox", v, -180, 180)) for v in box)
    if "countries" in extent:
        values["countries"] = _strings("extent.countries", extent["countries"], upper=True)
    if "width_in" in figure:
        values["width_in"] = float(_number("figure.width_in", figure["width_in"], 3, 20))
    if "height_in" in figure:
        values["height_in"] = float(_number("figure.height_in", figure["height_in"], 2, 30))
    if "dpi" in figure:
        values["dpi"] = int(_number("figure.dpi", figure["dpi"], 50, 1200, integer=True))
    _check_pixels(values)
    if "inset" in figure:
        if not isinstance(figure["inset"], bool):
            raise SpecError(f"figure.inset must be true or false; got {figure['inset']!r}")
        values["inset"] = figure["inset"]
    if "years" in figure:
        years = figure["years"]
        if not isinstance(years, list) or not years:
            raise SpecError(f"figure.years must be a list of years, [2008, 2020]; got {years!r}")
        values["years"] = [int(_number("figure.years", y, 1900, 2100, integer=True)) for y in years]
        if sorted(set(values["years"])) != values["years"]:
            raise SpecError(f"figure.years must be distinct and in order; got {years!r}")
    if "outputs" in data:
        values["outputs"] = _outputs(data["outputs"])
    if "lang" in data:
        try:
            values["lang"] = check_language(_text("lang", data["lang"]))
        except SelectionError as exc:
            raise SpecError(f"lang: {exc}") from None
    if "routes" in data:
        from corridormap.briefing.routes import parse_routes

        values["routes"] = parse_routes(data["routes"])
    return BriefSpec(**values)


def _check_pixels(values: dict) -> None:
    """Refuse a figure too large to draw, by its pixel count, before any drawing."""
    from corridormap import settings

    width = values.get("width_in", BriefSpec.width_in)
    height = values.get("height_in") or width  # the map's own height is about its width
    dpi = values.get("dpi", BriefSpec.dpi)
    pixels = width * dpi * height * dpi
    limit = settings.max_figure_megapixels * 1e6
    if pixels > limit:
        size = f"{width:g} × {height:g} in" if values.get("height_in") else f"{width:g} in wide"
        raise SpecError(
            f"figure: {size} at {dpi} dpi is {pixels / 1e6:,.0f} million pixels, more than the "
            f"{limit / 1e6:,.0f} million a figure may have (settings.max_figure_megapixels); "
            "lower figure.dpi or the size"
        )


def _outputs(value: object) -> list[str]:
    wanted = _strings("outputs", value)
    for name in wanted:
        if name not in OUTPUTS:
            close = difflib.get_close_matches(name, list(OUTPUTS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(OUTPUTS)}"
            raise SpecError(f"outputs: unknown output {name!r}{hint}")
    if "index" in wanted:  # the page embeds the interactive map and shows the PNG
        wanted += ["html", "png"]
    return [name for name in OUTPUTS if name in wanted]


# --------------------------------------------------------------------------- resolving


#: ``{status:CORRIDOR_ID}`` in a title or subtitle: that corridor's status, from the data.
_PLACEHOLDER = re.compile(r"\{status:([A-Za-z0-9_]+)\}")


def fill_text(spec: BriefSpec, chosen: Atlas) -> BriefSpec:
    """Replace ``{status:ID}`` in the title and subtitle with the corridor's status (lower case).

    So a shipped spec cannot contradict its own data: "line D ({status:cagp_d})" reads "line D
    (under construction)" while the data says so, and follows the data when it changes.

    Raises
    ------
    SpecError
        For an id that is not in the selection, naming the key.
    """
    statuses = dict(zip(chosen.corridors["corridor_id"], chosen.corridors["status"], strict=True))
    filled = {}
    for key in ("title", "subtitle"):
        text = getattr(spec, key)
        if not text:
            continue
        for corridor_id in _PLACEHOLDER.findall(text):
            if corridor_id not in statuses:
                raise SpecError(f"{key}: {{status:{corridor_id}}} names no selected corridor")
        filled[key] = _PLACEHOLDER.sub(lambda m: status_label(statuses[m.group(1)]).lower(), text)
    return replace(
        spec, title=filled.get("title", spec.title), subtitle=filled.get("subtitle", spec.subtitle)
    )


def resolve(atlas: Atlas, spec: BriefSpec) -> tuple[Atlas, tuple[float, float, float, float]]:
    """Return the selected corridors and the map's extent, naming the spec key on any problem."""
    from corridormap.render.static.figure import extent_bounds

    for key, value in spec.filters.items():
        if value:
            try:
                # bbox and as_of named (their defaults) so only the filters take the one key
                select(atlas, **{key: value}, bbox=None, as_of=None)
            except SelectionError as exc:
                raise SpecError(f"select.{key}: {exc}") from None
    try:
        chosen = select(
            atlas, mode=spec.mode, status=spec.status, country=spec.country, corridor=spec.corridor
        )
    except SelectionError:
        given = "; ".join(f"{k} {', '.join(v)}" for k, v in spec.filters.items() if v)
        raise SpecError(
            f"select: the selection ({given or 'everything'}) matches no corridor"
        ) from None
    ids = set(chosen.corridors["corridor_id"])
    for corridor_id in spec.highlight:
        if corridor_id not in ids:
            try:
                select(atlas, corridor=corridor_id)
            except SelectionError as exc:
                raise SpecError(f"highlight.corridor: {exc}") from None
            raise SpecError(f"highlight.corridor: {corridor_id!r} is not in the selection")
    key = "extent.bbox" if spec.bbox else "extent.countries"
    try:
        box = extent_bounds(atlas, spec.bbox or spec.countries or None, chosen)
    except SelectionError as exc:
        raise SpecError(f"{key}: {exc}") from None
    import shapely

    if (spec.bbox or spec.countries) and not chosen.corridors.intersects(shapely.box(*box)).any():
        raise SpecError(f"{key}: none of the {len(ids)} selected corridors lies in the extent")
    return chosen, box


# --------------------------------------------------------------------------- tables
