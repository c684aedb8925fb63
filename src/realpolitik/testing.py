"""Hypothesis strategies that draw valid scenarios, for realpolitik's and users' own tests.

Requires the ``hypothesis`` package (a dev dependency).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .scenario import Actor, Issue, Scenario, Stance, Uncertainty

__all__ = ["scenarios"]

_value = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(
    draw: Any,
    min_actors: int = 2,
    max_actors: int = 8,
    min_issues: int = 1,
    max_issues: int = 3,
    salience_scale: int | None = None,
    sit_out: bool = True,
) -> Scenario:
    """A random valid scenario: positions on each issue's scale, saliences on the declared one.

    Capabilities are in (0, 100]; with ``sit_out`` some actors skip some issues (every issue
    keeps at least two participants).
    """
    n = draw(st.integers(min_actors, max_actors))
    k = draw(st.integers(min_issues, max_issues))
    scale = salience_scale or draw(st.sampled_from([1, 100]))
    actors = [Actor(id=f"a{i}", capability=draw(st.floats(0.01, 100)),
                    groups=tuple(draw(st.sampled_from([(), ("alliance",), ("alliance", "bloc")]))),
                    country=draw(st.sampled_from([None, "USA", "KOR"]))) for i in range(n)]
    issues = []
    stances = []
    for j in range(k):
        low = draw(st.floats(-100, 100, allow_nan=False))
        width = draw(st.floats(0.5, 200))
        issues.append(Issue(id=f"i{j}", low=low, high=low + width,
                            tags=tuple(draw(st.sampled_from([(), ("security",)])))))
        present = [True] * n
        if sit_out and n > 2:
            present = [draw(st.booleans()) or i < 2 for i in range(n)]
        for i in range(n):
            if present[i]:
                x = low + draw(_value) * width
                unc = {}
                if draw(st.booleans()):
                    lo, hi = sorted((x, low + draw(_value) * width))
                    unc["position"] = Uncertainty(
                        dist=draw(st.sampled_from(["uniform", "triangular"])), low=lo, high=hi
                    )
                stances.append(
                    Stance(
                        actor=f"a{i}",
                        issue=f"i{j}",
                        position=x,
                        salience=draw(st.floats(0.01, 1)) * scale,
                        uncertainty=unc,
                    )
                )
    return Scenario(
        name="generated", salience_scale=scale, actors=actors, issues=issues, stances=stances
    )
