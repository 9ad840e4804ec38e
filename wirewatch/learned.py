"""Small trained models shipped as JSON and scored in pure Python, so run time needs no scikit-learn.

Every learned decision in wirewatch (joining a story, linking two names, ranking gazetteer
candidates, pairing claims) is a binary classifier over a handful of named numeric features.
Scripts in `scripts/` train them with scikit-learn and call `export_model`; the package loads the
JSON with `load_model` (or `model_from_dict`) and calls `probability(features)` with a plain dict.
Two kinds are supported:

* ``logistic``: `StandardScaler` + `LogisticRegression` (coefficients on the scaled features);
* ``trees``: `GradientBoostingClassifier` (binary, log-loss), each tree as flat arrays.

A feature missing from the dict counts as 0.0, so an older caller never crashes on a newer model,
and the JSON keeps the feature names in order, so a model and its caller cannot silently disagree
on what each column means.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from typing import Any

from wirewatch.errors import ResourceError

__all__ = ["LearnedModel", "LogisticModel", "TreeModel", "export_model", "load_model", "model_from_dict"]

FORMAT = 1


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass
class LearnedModel:
    """A binary classifier over named features; `meta` keeps how it was trained and measured."""

    features: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    def vector(self, values: Mapping[str, float]) -> list[float]:
        """The feature values in the model's column order (missing names count as 0.0)."""
        return [float(values.get(name, 0.0)) for name in self.features]

    def margin(self, values: Mapping[str, float]) -> float:
        """The log-odds of the positive class."""
        raise NotImplementedError

    def probability(self, values: Mapping[str, float]) -> float:
        """The probability of the positive class for one example."""
        return _sigmoid(self.margin(values))

    def margin_of(self, vector: Sequence[float]) -> float:
        """The log-odds for values already in the model's column order (see `vector`)."""
        raise NotImplementedError

    def probability_of(self, vector: Sequence[float]) -> float:
        """The probability of the positive class for values already in the model's column order."""
        return _sigmoid(self.margin_of(vector))

    def reader(self, names: Sequence[str]) -> Callable[[Sequence[float]], float]:
        """A scorer of value tuples given in `names` order: the probability, columns matched by name.

        A caller that computes its features positionally (see claim_features.pair_values) skips the
        dict and the name lookups; a model trained on fewer or reordered columns still reads them right.
        """
        if list(names) == self.features:
            return self.probability_of
        where = {name: i for i, name in enumerate(names)}
        picks = [where.get(name, -1) for name in self.features]
        return lambda values: self.probability_of([values[i] if i >= 0 else 0.0 for i in picks])

    def to_dict(self) -> dict[str, Any]:
        """The JSON document `model_from_dict` reads back."""
        raise NotImplementedError


@dataclass
class LogisticModel(LearnedModel):
    """Standardised logistic regression: margin = intercept + sum(coef * (x - mean) / scale)."""

    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    coef: list[float] = field(default_factory=list)
    intercept: float = 0.0

    def margin(self, values: Mapping[str, float]) -> float:
        return self.margin_of(self.vector(values))

    def margin_of(self, vector: Sequence[float]) -> float:
        z = self.intercept
        for x, m, s, c in zip(vector, self.mean, self.scale, self.coef):
            z += c * (x - m) / s
        return z

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "kind": "logistic", "features": self.features, "mean": self.mean,
                "scale": self.scale, "coef": self.coef, "intercept": self.intercept, "meta": self.meta}


@dataclass
class TreeModel(LearnedModel):
    """Gradient-boosted regression trees on the log-odds scale (scikit-learn's binary log-loss GBM).

    Each tree is (left, right, feature, threshold, value) arrays; a node with left == -1 is a leaf.
    """

    init: float = 0.0
    learning_rate: float = 0.1
    trees: list[dict[str, list]] = field(default_factory=list)
    _compiled: Callable[[list[float]], float] | None = field(default=None, init=False, repr=False, compare=False)

    def margin(self, values: Mapping[str, float]) -> float:
        return self.margin_of(self.vector(values))

    def margin_of(self, vector: Sequence[float]) -> float:
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled(vector)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_compiled"] = None  # generated code does not pickle; rebuilt on first use
        return state

    def _compile(self) -> Callable[[Sequence[float]], float]:
        """The ensemble as one generated Python function of nested comparisons.

        Walking 150 trees node by node through lists costs ~100 us per example; the same comparisons
        as straight-line code on local variables (the features unpacked once, the leaves summed in
        one expression) cost about a tenth of that, and story building scores tens of thousands of
        pairs. Only numbers from the model document enter the source (as `repr` of int/float).
        """
        n = len(self.features)
        names = [f"x{i}" for i in range(n)]
        terms = []
        for tree in self.trees:
            left, right, feature, threshold, value = (tree["left"], tree["right"], tree["feature"],
                                                      tree["threshold"], tree["value"])

            def expr(node: int) -> str:
                if left[node] == -1:
                    return repr(float(self.learning_rate) * float(value[node]))
                return (f"({expr(left[node])} if x{int(feature[node])} <= {float(threshold[node])!r}"
                        f" else {expr(right[node])})")

            terms.append(expr(0))
        unpack = f"    {', '.join(names)}, = x\n" if n else ""
        # Summed in chunks: one expression of hundreds of terms would nest the parser too deep.
        chunks = [" + ".join(terms[i:i + 50]) for i in range(0, len(terms), 50)]
        body = "".join(f"    z += {chunk}\n" for chunk in chunks)
        source = f"def margin(x):\n{unpack}    z = {float(self.init)!r}\n{body}    return z\n"
        namespace: dict[str, Any] = {}
        exec(compile(source, "<wirewatch.learned.TreeModel>", "exec"), namespace)  # noqa: S102 - numbers only
        return namespace["margin"]

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "kind": "trees", "features": self.features, "init": self.init,
                "learning_rate": self.learning_rate, "trees": self.trees, "meta": self.meta}


def model_from_dict(data: Mapping[str, Any]) -> LearnedModel:
    """Build a model from its exported JSON document."""
    kind = data.get("kind")
    common = {"features": list(data["features"]), "meta": dict(data.get("meta") or {})}
    if kind == "logistic":
        return LogisticModel(mean=[float(v) for v in data["mean"]], scale=[float(v) or 1.0 for v in data["scale"]],
                             coef=[float(v) for v in data["coef"]], intercept=float(data["intercept"]), **common)
    if kind == "trees":
        return TreeModel(init=float(data["init"]), learning_rate=float(data["learning_rate"]),
                         trees=list(data["trees"]), **common)
    raise ValueError(f"unknown model kind {kind!r}")


def load_model(package: str, resource: str) -> LearnedModel:
    """Read a model shipped as package data, e.g. `load_model("wirewatch.stories", "data/merge.json")`."""
    try:
        raw = importlib_resources.files(package).joinpath(resource).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ResourceError(f"model {resource} is missing from {package}; reinstall wirewatch "
                            "or rebuild it with its script in scripts/") from exc
    return model_from_dict(json.loads(raw))


def export_model(estimator: Any, features: Sequence[str], meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Turn a fitted scikit-learn model into the JSON document this module scores (training time only).

    Accepts a `Pipeline(StandardScaler, LogisticRegression)`, a bare `LogisticRegression`, or a
    binary `GradientBoostingClassifier`.
    """
    steps = getattr(estimator, "steps", None)
    scaler, model = (steps[0][1], steps[-1][1]) if steps else (None, estimator)
    names = list(features)
    meta = dict(meta or {})
    if hasattr(model, "coef_"):
        n = len(names)
        mean = [float(v) for v in scaler.mean_] if scaler is not None else [0.0] * n
        scale = [float(v) for v in scaler.scale_] if scaler is not None else [1.0] * n
        return LogisticModel(features=names, mean=mean, scale=scale, coef=[float(v) for v in model.coef_[0]],
                             intercept=float(model.intercept_[0]), meta=meta).to_dict()
    if hasattr(model, "estimators_") and steps is None:
        prior = model.init_.class_prior_[1] if hasattr(model.init_, "class_prior_") else 0.5
        trees = []
        for (tree,) in model.estimators_:
            t = tree.tree_
            trees.append({"left": [int(v) for v in t.children_left], "right": [int(v) for v in t.children_right],
                          "feature": [int(v) for v in t.feature], "threshold": [round(float(v), 9) for v in t.threshold],
                          "value": [round(float(v), 9) for v in t.value[:, 0, 0]]})
        return TreeModel(features=names, init=math.log(prior / (1 - prior)), learning_rate=float(model.learning_rate),
                         trees=trees, meta=meta).to_dict()
    raise TypeError(f"cannot export {type(estimator).__name__}: use a scaler+LogisticRegression pipeline "
                    "or a GradientBoostingClassifier")
