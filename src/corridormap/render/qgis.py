"""QGIS styles for the exported GeoPackage: the ``layer_styles`` table QGIS reads on opening.

One rule-based style per line layer, drawn as the maps draw it (:mod:`corridormap.render.styles`):
the mode's colour, the status's dash pattern, and under a line whose alignment is only a sketch a
wide pale halo (symbol levels keep every halo under every line). QGIS applies the row with
``useAsDefault`` when the layer is added; the table's layout is the one QGIS itself creates.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import quoteattr

import pandas as pd

from corridormap import settings
from corridormap.render import styles

#: Columns of QGIS's ``layer_styles`` table, in its order (``id`` is the table's key).
COLUMNS = [
    "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
    "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time",
]  # fmt: skip
#: Dash pattern of a status the palette does not know (e.g. one added to the data since).
OTHER_DASHES = (6.0, 2.0, 1.0, 2.0)
#: Screen pixels to QGIS's default millimetres are not needed: widths are given in pixels.
_QML_HEAD = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


def _rgba(hex_colour: str, alpha: float = 1.0) -> str:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _line(name: str, colour: str, width: float, dashes, *, alpha: float = 1.0, level: int) -> str:
    props = {
        "line_color": _rgba(colour, alpha),
        "line_width": f"{width:g}",
        "line_width_unit": "Pixel",
        "line_style": "solid",
        "capstyle": "round",
        "joinstyle": "round",
        "use_custom_dash": "1" if dashes else "0",
        "customdash": ";".join(f"{part * width:g}" for part in dashes) if dashes else "5;2",
        "customdash_unit": "Pixel",
    }
    body = "".join(f'<prop k="{k}" v="{v}"/>' for k, v in props.items())
    return (
        f'<symbol type="line" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="SimpleLine" enabled="1" locked="0" pass="{level}">{body}</layer>'
        "</symbol>"
    )


def line_style_qml(modes: list[str], statuses: list[str], sketch_filter: str | None) -> str:
    """A rule-based line style: one rule per mode and status, and a halo rule for sketches."""
    rules: list[tuple[str, str, str]] = []
    symbols: list[str] = []
    if sketch_filter is not None:
        for mode in modes:
            style = styles.MODE_STYLES[mode]
            name = str(len(symbols))
            symbols.append(
                _line(name, style.colour, styles.HALO_WEIGHT, None,
                      alpha=styles.HALO_OPACITY, level=0)
            )  # fmt: skip
            expression = (
                f"\"mode\" = '{mode}' AND ({sketch_filter})" if len(modes) > 1 else sketch_filter
            )
            label = "Approximate alignment (a sketch)" + (
                f": {style.label}" if len(modes) > 1 else ""
            )
            rules.append((expression, name, label))
    for mode in modes:
        style = styles.MODE_STYLES[mode]
        for status in statuses:
            name = str(len(symbols))
            dashes = styles.STATUS_DASHES.get(status, OTHER_DASHES)
            width = style.weight if status != "planned" else style.weight * 0.8
            symbols.append(_line(name, style.colour, width, dashes, level=1))
            expression = f"\"status\" = '{status}'"
            if len(modes) > 1:
                expression = f"\"mode\" = '{mode}' AND {expression}"
            rules.append(
                (expression, name, f"{style.label}, {styles.status_label(status).lower()}")
            )
    rule_xml = "".join(
        f"<rule key={quoteattr(f'rule{i}')} filter={quoteattr(expr)} symbol={quoteattr(sym)} "
        f"label={quoteattr(label)}/>"
        for i, (expr, sym, label) in enumerate(rules)
    )
    return (
        _QML_HEAD + '<qgis version="3.28.0" styleCategories="Symbology">'
        '<renderer-v2 type="RuleRenderer" symbollevels="1" enableorderby="0" forceraster="0">'
        f'<rules key="root">{rule_xml}</rules><symbols>{"".join(symbols)}</symbols>'
        "</renderer-v2><blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
        "<layerGeometryType>1</layerGeometryType></qgis>\n"
    )


def layer_styles(
    layers: Mapping[str, tuple[list[str], list[str], str | None]], geometry_column: str, when: str
) -> pd.DataFrame:
    """The rows of ``layer_styles``: per layer ``(modes, statuses, sketch filter)``."""
    rows = []
    for name, (modes, statuses, sketch) in layers.items():
        rows.append(
            {
                "f_table_catalog": "",
                "f_table_schema": "",
                "f_table_name": name,
                "f_geometry_column": geometry_column,
                "styleName": f"corridormap {name}",
                "styleQML": line_style_qml(modes, statuses, sketch),
                "styleSLD": "",
                "useAsDefault": True,
                "description": "Mode colours, status dashes and a pale halo under sketched "
                f"alignments (positional accuracy worse than {settings.line_data_accuracy_km:g} "
                "km), as on corridormap's maps",
                "owner": "corridormap",
                "ui": "",
                "update_time": when,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
