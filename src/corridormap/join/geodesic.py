"""Geodesic distances for many pairs of points: Vincenty's inverse in numpy, checked by pyproj.

Vincenty's iteration (1975) agrees with GeographicLib (:class:`pyproj.Geod`) to well under a
millimetre wherever it converges; in numpy, on cache-sized batches, it runs about twice as fast
as one ``Geod.inv`` call over the same arrays. Pairs where it does not converge (nearly
antipodal points) are measured by ``Geod.inv``.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

#: Pairs per numpy pass: small enough for the temporaries to stay in cache.
BATCH = 16_384
#: Convergence of the longitude on the auxiliary sphere, radians (~6 µm).
TOLERANCE = 1e-12
ITERATIONS = 60


def geodesic_m(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray, geod: Geod
) -> np.ndarray:
    """Geodesic distance in metres between pairs of points (degrees) on ``geod``'s ellipsoid.

    Examples
    --------
    >>> import numpy as np
    >>> from pyproj import Geod
    >>> geod = Geod(ellps="WGS84")
    >>> one = np.array([69.0]), np.array([41.0]), np.array([74.6]), np.array([42.9])
    >>> bool(abs(geodesic_m(*one, geod)[0] - geod.inv(*one)[2][0]) < 1e-3)
    True
    """
    metres = np.empty(len(lon1))
    for start in range(0, len(lon1), BATCH):
        part = slice(start, start + BATCH)
        metres[part] = _vincenty(lon1[part], lat1[part], lon2[part], lat2[part], geod.a, geod.f)
    stuck = np.flatnonzero(np.isnan(metres))
    if len(stuck):
        _, _, metres[stuck] = geod.inv(lon1[stuck], lat1[stuck], lon2[stuck], lat2[stuck])
    return metres


def _vincenty(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray, a: float, f: float
) -> np.ndarray:
    """Vincenty's inverse formula; NaN where it has not converged."""
    b = (1 - f) * a
    east = np.radians(np.asarray(lon2) - np.asarray(lon1))
    u1 = np.arctan((1 - f) * np.tan(np.radians(lat1)))
    u2 = np.arctan((1 - f) * np.tan(np.radians(lat2)))
    sin1, cos1, sin2, cos2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    ss, cc, cs, sc = sin1 * sin2, cos1 * cos2, cos1 * sin2, sin1 * cos2
    out = np.full(len(east), np.nan)
    lam = east.copy()
    todo = np.arange(len(east))
    for _ in range(ITERATIONS):
        sin_l, cos_l = np.sin(lam[todo]), np.cos(lam[todo])
        t1, t2 = cos2[todo] * sin_l, cs[todo] - sc[todo] * cos_l
        sin_s = np.sqrt(t1 * t1 + t2 * t2)
        cos_s = ss[todo] + cc[todo] * cos_l
        sigma = np.arctan2(sin_s, cos_s)
        with np.errstate(invalid="ignore", divide="ignore"):
            sin_a = np.where(sin_s > 0, cc[todo] * sin_l / sin_s, 0.0)
            cos2_a = 1 - sin_a * sin_a
            cos_2m = np.where(cos2_a > 0, cos_s - 2 * ss[todo] / cos2_a, 0.0)
        c = f / 16 * cos2_a * (4 + f * (4 - 3 * cos2_a))
        new = east[todo] + (1 - c) * f * sin_a * (
            sigma + c * sin_s * (cos_2m + c * cos_s * (2 * cos_2m * cos_2m - 1))
        )
        antipodal = (sin_s == 0) & (cos_s <= 0)  # left NaN, for Geod.inv
        done = ((np.abs(new - lam[todo]) <= TOLERANCE) | (sin_s == 0)) & ~antipodal
        lam[todo] = new
        if antipodal.any():
            keep = ~antipodal
            todo, done = todo[keep], done[keep]
            sin_s, cos_s, sigma, cos2_a, cos_2m = (
                v[keep] for v in (sin_s, cos_s, sigma, cos2_a, cos_2m)
            )
        if done.any():
            u_sq = cos2_a[done] * (a * a - b * b) / (b * b)
            big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
            big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
            s, k, m = sin_s[done], cos_s[done], cos_2m[done]
            shift = (
                big_b
                * s
                * (
                    m
                    + big_b
                    / 4
                    * (k * (2 * m * m - 1) - big_b / 6 * m * (4 * s * s - 3) * (4 * m * m - 3))
                )
            )
            out[todo[done]] = b * big_a * (sigma[done] - shift)
            todo = todo[~done]
        if len(todo) == 0:
            break
    return out
