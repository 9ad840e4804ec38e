"""The JSON-shipped models score exactly as the scikit-learn models they were exported from."""
import json

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from wirewatch.learned import export_model, model_from_dict

NAMES = ["cosine", "shared_people", "gap_days"]


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, 3)) * [0.3, 2.0, 5.0] + [0.4, 1.0, 3.0]
    y = (x[:, 0] * 3 + x[:, 1] - 0.2 * x[:, 2] + rng.normal(scale=0.5, size=400) > 1.5).astype(int)
    return x, y


@pytest.mark.parametrize("estimator", [
    make_pipeline(StandardScaler(), LogisticRegression()),
    LogisticRegression(),
    GradientBoostingClassifier(n_estimators=30, max_depth=3),
])
def test_exported_model_matches_sklearn(estimator):
    x, y = _data()
    estimator.fit(x, y)
    model = model_from_dict(json.loads(json.dumps(export_model(estimator, NAMES, {"trained_on": "synthetic"}))))
    expected = estimator.predict_proba(x)[:, 1]
    got = [model.probability(dict(zip(NAMES, row))) for row in x]
    assert np.allclose(got, expected, atol=1e-6)
    assert model.meta == {"trained_on": "synthetic"}


def test_missing_feature_counts_as_zero_and_unknown_kind_is_refused():
    x, y = _data(1)
    model = model_from_dict(export_model(LogisticRegression().fit(x, y), NAMES))
    assert model.probability({"cosine": 0.5}) == pytest.approx(model.probability({"cosine": 0.5, "shared_people": 0, "gap_days": 0}))
    with pytest.raises(ValueError, match="unknown model kind"):
        model_from_dict({"kind": "svm", "features": []})


def test_a_tree_model_pickles_after_use():
    import pickle

    x, y = _data(2)
    model = model_from_dict(export_model(GradientBoostingClassifier(n_estimators=5).fit(x, y), NAMES))
    before = model.probability({"cosine": 0.3})
    assert pickle.loads(pickle.dumps(model)).probability({"cosine": 0.3}) == before
