"""Briefing packs: one TOML spec in, a folder of maps, tables and a one-page brief out.

:func:`load_spec` reads and checks a spec (every key known, every value of the right type) and
:func:`brief` resolves it against the atlas and writes the pack. The pack is built in a temporary
folder next to the target and swapped into place at the end, so a failed run never leaves a
half-written pack (the previous one stays as it was). Every number in the generated text comes from
the pack's own tables; identical inputs give byte-identical files.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import logging
import os
import shutil
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from . import schema, settings
from .atlas import Atlas
from .errors import SelectionError, SpecError
from .io import InputError, display_path, read_text
from .measure import lengths_by_country
from .query import select

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
    "outputs": None,
    "select": ("mode", "status", "country", "corridor"),
    "highlight": ("corridor",),
    "extent": ("bbox", "countries"),
    "figure": ("width_in", "height_in", "dpi", "inset"),
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
    outputs: list[str] = field(default_factory=lambda: list(OUTPUTS))

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


def load_spec(spec: str | Path | Mapping) -> BriefSpec:
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
        except InputError as exc:
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
    for key in value:
        if key not in SPEC_KEYS[name]:
            raise _unknown(f"{name}.{key}", SPEC_KEYS[name])
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
    if "inset" in figure:
        if not isinstance(figure["inset"], bool):
            raise SpecError(f"figure.inset must be true or false; got {figure['inset']!r}")
        values["inset"] = figure["inset"]
    if "outputs" in data:
        values["outputs"] = _outputs(data["outputs"])
    return BriefSpec(**values)


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


def resolve(atlas: Atlas, spec: BriefSpec) -> tuple[Atlas, tuple[float, float, float, float]]:
    """Return the selected corridors and the map's extent, naming the spec key on any problem."""
    from .render.static import extent_bounds

    for key, value in spec.filters.items():
        if value:
            try:
                select(atlas, **{key: value})
            except SelectionError as exc:
                raise SpecError(f"select.{key}: {exc}") from None
    try:
        chosen = select(atlas, **spec.filters)
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


def _source_titles(sources: pd.DataFrame, value: object) -> str | None:
    from .render.popups import ids, missing

    table = sources.set_index("source_id")
    titles = []
    for source_id in ids(value):
        if source_id not in table.index:
            titles.append(source_id)
            continue
        row = table.loc[source_id]
        extra = ", ".join(str(row[c]) for c in ("publisher", "date") if not missing(row.get(c)))
        titles.append(f"{row['title']} ({extra})" if extra else str(row["title"]))
    return "; ".join(titles) or None


def corridor_table(chosen: Atlas) -> pd.DataFrame:
    """The selected corridors' facts with drawn length and, per source column, source titles."""
    frame = pd.DataFrame(chosen.corridors.drop(columns="geometry"))
    frame["length_km"] = frame["length_km"].round(1)
    for column in schema.SOURCE_COLUMNS["projects"]:
        if column in frame:
            position = frame.columns.get_loc(column) + 1
            titles = [_source_titles(chosen.sources, v) for v in frame[column]]
            frame.insert(position, f"{column}_titles", titles)
    return frame.reset_index(drop=True)


def lengths_table(chosen: Atlas) -> pd.DataFrame:
    """Kilometres of each selected corridor inside each country (geodesic, one decimal)."""
    table = lengths_by_country(chosen)
    names = chosen.corridors.set_index("corridor_id")["name"]
    table.insert(1, "corridor_name", table["corridor_id"].map(names))
    table["length_km"] = table["length_km"].round(1)
    table["share"] = table["share"].round(3)
    return table


def revenue_table(chosen: Atlas) -> pd.DataFrame | None:
    """Base-scenario transit revenue of the selection, or ``None`` before the model exists."""
    try:
        from .revenue import transit_revenue
    except ImportError:
        return None
    frame = transit_revenue(chosen, scenario="base")
    return pd.DataFrame(frame).reset_index(drop=True)


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


# --------------------------------------------------------------------------- text


def _km(value: float) -> str:
    return f"{round(float(value)):,}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe(
    corridors: pd.DataFrame, lengths: pd.DataFrame, highlight: list[str], *, limit: int = 6
) -> tuple[str, str]:
    """Alt text and a longer description of the map, every number read from the two tables.

    Parameters
    ----------
    corridors
        :func:`corridor_table` of the selection.
    lengths
        :func:`lengths_table` of the selection.
    highlight
        Highlighted corridor ids (described first).
    limit
        Most corridors described one by one.

    Returns
    -------
    tuple of str
        ``(alt, long_description)``.
    """
    from .render import styles

    statuses = corridors["status"].value_counts()
    by_status = [
        f"{statuses[s]} {styles.status_label(s).lower()}" for s in schema.STATUSES if s in statuses
    ]
    modes = corridors["mode"].value_counts()
    by_mode = [f"{styles.mode_label(m).lower()}: {modes[m]}" for m in schema.MODES if m in modes]
    alt = (
        f"Map of {_count(len(corridors), 'corridor')} ({', '.join(by_mode)}): "
        f"{', '.join(by_status)}."
    )
    named = corridors.set_index("corridor_id")
    if highlight:
        alt += f" Highlighted: the {_join([named.loc[c, 'name'] for c in highlight])}."
    order = list(highlight) + [c for c in corridors["corridor_id"] if c not in highlight]
    sentences = []
    for corridor_id in order[:limit]:
        row = named.loc[corridor_id]
        rows = lengths[lengths["corridor_id"] == corridor_id]
        # Countries the sources name; a sketch's corner cut across a border is not "through".
        parts = rows[rows["listed"].astype(bool) & (rows["length_km"].round() >= 1)]
        through = [f"{_km(r.length_km)} km through {r.country}" for r in parts.itertuples()]
        status = styles.status_label(row["status"]).lower()
        text = f"The {row['name']}, {status}, runs {_km(row['length_km'])} km as drawn"
        if len(rows) == 1 and len(parts) == 1:
            text += f", all in {parts['country'].iloc[0]}."
        else:
            text += f": {_join(through)}." if through else "."
        if not pd.isna(row.get("length_km_reported")):
            text = text[:-1] + f" (reported: {_km(row['length_km_reported'])} km)."
        sentences.append(text)
    if len(order) > limit:
        rest = len(order) - limit
        sentences.append(f"{_count(rest, 'more corridor')} {'is' if rest == 1 else 'are'} shown.")
    return alt, " ".join(sentences)


# --------------------------------------------------------------------------- writing


def brief(atlas: Atlas, spec: str | Path | Mapping | BriefSpec, out_dir: str | Path) -> Path:
    """Write a briefing pack: maps, figures, tables, alt text, a one-page brief and a lock file.

    Parameters
    ----------
    atlas
        The atlas, from :func:`corridormap.load`.
    spec
        A TOML spec file, its parsed mapping, or a :class:`BriefSpec` (see ``maps/README.md``).
    out_dir
        Folder of the pack. It is replaced as a whole only when every file has been written; an
        existing folder must be empty or a previous pack (it holds ``spec.lock.json``).

    Returns
    -------
    Path
        The pack's folder.

    Raises
    ------
    SpecError
        For a problem in the spec (one line naming the key); nothing is written then.
    """
    where = display_path(Path(spec)) if isinstance(spec, str | Path) else None
    spec = load_spec(spec)
    target = Path(out_dir)
    _check_target(target)
    try:
        chosen, box = resolve(atlas, spec)
    except SpecError as exc:
        if where is None:
            raise
        raise SpecError(f"{where}: {exc}") from None  # name the file, as load_spec does
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        files = _write_pack(atlas, chosen, spec, box, staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("Saved briefing pack %s (%d files)", target, len(files))
    return target


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise SpecError(f"out: {display_path(target)} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / LOCK_NAME).is_file():
        raise SpecError(
            f"out: {display_path(target)} is not empty and holds no {LOCK_NAME}, so it is not a "
            "briefing pack; give a new or empty folder"
        )


def _swap(staging: Path, target: Path) -> None:
    """Move the finished pack into place; the previous pack is removed only afterwards."""
    os.chmod(staging, 0o755)
    if not target.exists():
        os.replace(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8", newline="\n")


def _write_pack(atlas: Atlas, chosen: Atlas, spec: BriefSpec, box, folder: Path) -> list[str]:
    from .render.static import save_static, static_map

    corridors, lengths = corridor_table(chosen), lengths_table(chosen)
    revenue = revenue_table(chosen) if "tables" in spec.outputs else None
    alt, long = describe(corridors, lengths, spec.highlight)
    subtitle = spec.subtitle if spec.subtitle is not None else alt
    if "tables" in spec.outputs:
        _write(folder, "corridors.csv", _csv(corridors))
        _write(folder, "lengths.csv", _csv(lengths))
        if revenue is not None:
            _write(folder, "revenue.csv", _csv(revenue))
    if "html" in spec.outputs:
        _write_html_map(atlas, spec, box, subtitle, folder)
        _write(folder, "embed.html", embed_html(spec.title, alt, long))
    figures = [f for f in ("png", "svg", "pdf") if f in spec.outputs]
    if figures:
        fig = static_map(
            atlas, **spec.filters, highlight=spec.highlight, extent=box, title=spec.title,
            subtitle=subtitle, byline=spec.byline, figsize=(spec.width_in, spec.height_in),
            dpi=spec.dpi, inset=spec.inset,
        )  # fmt: skip
        for fmt in figures:
            save_static(fig, folder / f"map.{fmt}")
    _write(folder, "alt.txt", f"{alt}\n\n{long}\n")
    if "index" in spec.outputs:
        page = index_html(chosen, spec, alt, long, corridors, lengths, revenue is not None)
        _write(folder, "index.html", page)
    _write(folder, LOCK_NAME, lock_json(atlas, chosen, spec, box, folder))
    return sorted(p.name for p in folder.iterdir())


def _write_html_map(atlas: Atlas, spec: BriefSpec, box, subtitle: str, folder: Path) -> None:
    from .render import folium_map, save_map
    from .render.assets import Raw

    m = folium_map(atlas, **spec.filters, title=spec.title, subtitle=subtitle)
    west, south, east, north = box
    m.fit_bounds([[south, west], [north, east]])
    if spec.highlight:
        rules = ", ".join(f".cm-line.cm-c-{c}" for c in spec.highlight)
        css = (
            f"<style>.cm-line {{ opacity: 0.45; }} {rules} {{ opacity: 1; "
            f"stroke-width: 5px; }}</style>"
        )
        root = m.get_root()
        if hasattr(root, "add_head"):  # the map's figure re-renders its header from these
            root.add_head("corridormap_highlight", Raw(css))
        else:
            root.header.add_child(Raw(css), name="corridormap_highlight")
    save_map(m, folder / "map.html")


def embed_html(title: str, alt: str, long: str, *, src: str = "map.html") -> str:
    """The responsive iframe snippet, with the map's description as its caption."""
    key = hashlib.sha256(f"{title}\n{alt}".encode()).hexdigest()[:8]
    esc = html.escape
    return (
        f'<figure class="corridormap-embed" style="margin:0">\n'
        '  <div style="position:relative;width:100%;height:0;padding-top:62.5%;overflow:hidden">\n'
        f'    <iframe src="{esc(src)}" title="Interactive map: {esc(title)}" '
        f'aria-describedby="cm-desc-{key}" loading="lazy" allowfullscreen '
        'referrerpolicy="no-referrer" '
        'style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n'
        "  </div>\n"
        f'  <figcaption id="cm-desc-{key}" style="font:0.85em/1.4 system-ui,sans-serif;'
        f'color:#59636E;margin-top:0.4em">{esc(alt)} {esc(long)}</figcaption>\n'
        "</figure>\n"
    )


def lock_json(atlas: Atlas, chosen: Atlas, spec: BriefSpec, box, folder: Path) -> str:
    """The resolved spec, the package version, the data hash and a SHA-256 of every file."""
    from . import __version__

    resolved = asdict(spec)
    resolved["bbox"] = [round(v, 6) for v in box]
    lock = {
        "generator": "corridormap",
        "version": __version__,
        "data_hash": atlas.data_hash,
        "spec": resolved,
        "corridors": chosen.corridors["corridor_id"].tolist(),
        "files": {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir())
            if p.name != LOCK_NAME
        },
    }
    return json.dumps(lock, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- the page

_PAGE_CSS = """
body{font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,
"Noto Sans",sans-serif;color:#1F2328;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.7rem;line-height:1.2;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .6rem}
.sub{font-size:1.05rem;color:#3D444D;margin:0}.by{color:#59636E;font-size:.9rem}
figure{margin:1rem 0}img{max-width:100%;height:auto;border:1px solid #D0D7DE}
figcaption{color:#59636E;font-size:.9rem}table{border-collapse:collapse;width:100%;
font-size:.88rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #D0D7DE;
vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
sup{font-size:.7em}ol.sources{font-size:.88rem;padding-left:1.6rem}ol.sources li{margin:.2rem 0}
.muted{color:#59636E}footer{margin-top:2rem;font-size:.8rem;color:#59636E}
"""
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: file:; "
    "frame-src 'self' file:; base-uri 'none'; form-action 'none'"
)
_FACTS = (
    ("Reported length (km)", "length_km_reported", "length_source"),
    ("Capacity", "capacity_value", "capacity_source"),
    ("Cost (USD m)", "cost_usd_m", "cost_source"),
    ("Opened", "opened", "dates_source"),
)


class _Refs:
    """Numbers sources in order of first citation."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def __call__(self, value: object) -> str:
        from .render.popups import ids

        numbers = []
        for source_id in ids(value):
            if source_id not in self.order:
                self.order.append(source_id)
            numbers.append(self.order.index(source_id) + 1)
        links = ",".join(f'<a href="#src-{n}">{n}</a>' for n in numbers)
        return f"<sup>[{links}]</sup>" if numbers else ""


def _fact(row, column: str, source: str, refs: _Refs) -> str:
    """One cell of the key figures: the value and its source numbers, or a dash if unknown."""
    from .render.popups import missing, number

    value = row[column]
    if missing(value):
        return '<span class="muted">—</span>'
    if column == "capacity_value":
        text = f"{number(value)} {row['capacity_unit']}"
    elif column == "opened":
        text = str(int(value))
    else:
        text = number(value)
    return html.escape(text) + refs(row[source])


def _facts_table(corridors: pd.DataFrame, lengths: pd.DataFrame, refs: _Refs) -> str:
    from .render import styles

    head = "".join(
        f"<th{' class=n' if i > 2 else ''}>{html.escape(h)}</th>"
        for i, h in enumerate(
            [
                "Corridor",
                "Mode",
                "Status",
                "Drawn length (km)",
                *[f[0] for f in _FACTS],
                "km by country",
            ]
        )  # fmt: skip
    )
    rows = []
    for row in corridors.to_dict("records"):
        parts = lengths[(lengths["corridor_id"] == row["corridor_id"]) & lengths["iso3"].notna()]
        split = "; ".join(f"{r.iso3} {_km(r.length_km)}" for r in parts.itertuples())
        cells = [
            f"<td>{html.escape(row['name'])}{refs(row['status_source'])}</td>",
            f"<td>{html.escape(styles.mode_label(row['mode']))}</td>",
            f"<td>{html.escape(styles.status_label(row['status']))}</td>",
            f'<td class="n">{_km(row["length_km"])}</td>',
            *[f'<td class="n">{_fact(row, c, s, refs)}</td>' for _, c, s in _FACTS],
            f"<td>{html.escape(split)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _country_table(lengths: pd.DataFrame) -> str:
    known = lengths[lengths["iso3"].notna()]
    totals = known.groupby(["iso3", "country"], sort=False)["length_km"].sum().reset_index()
    totals = totals.sort_values(["length_km", "iso3"], ascending=[False, True])
    rows = "".join(
        f'<tr><td>{html.escape(r.country)}</td><td class="n">{_km(r.length_km)}</td></tr>'
        for r in totals.itertuples()
    )
    return (
        "<table><thead><tr><th>Country</th><th class=n>km of the selected corridors</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _sources_list(chosen: Atlas, refs: _Refs) -> str:
    from .render.popups import missing

    for column in ("length_source", "geometry_source", "sources"):
        for value in chosen.segments[column]:
            refs(value)
    table = chosen.sources.set_index("source_id")
    items = []
    for n, source_id in enumerate(refs.order, start=1):
        if source_id not in table.index:
            items.append(f'<li id="src-{n}">{html.escape(source_id)}</li>')
            continue
        row = table.loc[source_id]
        who = ", ".join(
            html.escape(str(row[c])) for c in ("author", "publisher") if not missing(row.get(c))
        )
        text = f"{who}: " if who else ""
        text += f"“{html.escape(str(row['title']))}”"
        if not missing(row.get("date")):
            text += f", {html.escape(str(row['date']))}"
        if not missing(row.get("url")):
            url = html.escape(str(row["url"]))
            text += f'. <a href="{url}" rel="noreferrer">{url}</a>'
        items.append(f'<li id="src-{n}">{text}.</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


def index_html(
    chosen: Atlas,
    spec: BriefSpec,
    alt: str,
    long: str,
    corridors: pd.DataFrame,
    lengths: pd.DataFrame,
    has_revenue: bool,
) -> str:
    """The one-page brief: title, interactive map, static figure, key figures and sources."""
    from . import __version__

    esc = html.escape
    refs = _Refs()
    facts = _facts_table(corridors, lengths, refs)
    sources = _sources_list(chosen, refs)
    subtitle = spec.subtitle if spec.subtitle is not None else alt
    by = f'<p class="by">{esc(spec.byline)}</p>' if spec.byline else ""
    figure_links = " · ".join(
        f'<a href="map.{f}">{f.upper()}</a>' for f in ("png", "svg", "pdf") if f in spec.outputs
    )
    tables = ["corridors.csv", "lengths.csv"] + (["revenue.csv"] if has_revenue else [])
    data_links = (
        " · ".join(f'<a href="{t}">{t}</a>' for t in tables) if "tables" in spec.outputs else ""
    )
    credits = [settings.natural_earth_attribution]
    if (chosen.segments["geometry_licence"] == "ODbL").any():
        credits.insert(0, settings.osm_attribution)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="generator" content="corridormap {esc(__version__)}">
<title>{esc(spec.title)}</title>
<style>{_PAGE_CSS}</style>
</head>
<body>
<header>
<h1>{esc(spec.title)}</h1>
<p class="sub">{esc(subtitle)}</p>
{by}
</header>
<main>
<h2>Interactive map</h2>
{embed_html(spec.title, alt, long)}
<h2>Static figure</h2>
<figure>
<img src="map.png" alt="{esc(alt)}" width="{round(spec.width_in * 96)}">
<figcaption>{esc(long)} Download: {figure_links}.</figcaption>
</figure>
<h2>Key figures</h2>
{facts}
<p class="muted">Drawn lengths are measured on the WGS84 ellipsoid along the mapped lines;
reported lengths are as published. Numbers in brackets are sources.</p>
<h2>Kilometres by country</h2>
{_country_table(lengths)}
{f"<p>Data: {data_links}.</p>" if data_links else ""}
<h2>Sources</h2>
{sources}
<p class="muted">Map data: {esc("; ".join(credits))}.</p>
</main>
<footer>Made with corridormap {esc(__version__)} from data {esc(chosen.data_hash[:12])};
the exact inputs are in <a href="{LOCK_NAME}">{LOCK_NAME}</a>.</footer>
</body>
</html>
"""


__all__ = ["BriefSpec", "brief", "describe", "load_spec", "resolve"]
